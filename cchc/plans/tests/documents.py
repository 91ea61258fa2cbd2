"""Test documents built in code: a district plan as .docx (python-docx), with a header table, Word
headings, automatic bullets, a signature table and an appendix task table with merged group rows."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.shared import Pt

REPO = Path(__file__).resolve().parents[3]


def _shared() -> Path | None:
    for candidate in (REPO.parent / "shared", REPO.parent.parent / "shared", Path("/work/shared")):
        if (candidate / "tools" / "plan-score").exists():
            return candidate
    return None


# ../shared holds plan-score and the seed plan; CI on a clean clone may not have it beside the repo.
SHARED = _shared()
needs_shared = pytest.mark.skipif(
    SHARED is None, reason="../shared (plan-score and the seed plan) is not beside the repo"
)

TASKS = [
    ("I", "Tuyên truyền trên phương tiện thông tin đại chúng", None),
    (
        "1",
        "Xây dựng chuyên mục CCHC trên Trang thông tin điện tử huyện\n- Đăng tải văn bản mới về CCHC",
        (
            "Phòng Văn hóa và Thông tin",
            "Văn phòng HĐND và UBND huyện",
            "Hằng tháng (01 chuyên mục/tháng)",
            "Ngân sách huyện",
        ),
    ),
    (
        "2",
        "Phát sóng tin, bài về CCHC trên sóng truyền thanh huyện",
        (
            "Trung tâm Văn hóa, Thông tin và Thể thao huyện",
            "Các cơ quan, đơn vị",
            "02 tin, bài/tháng",
            "Ngân sách huyện",
        ),
    ),
    ("II", "Tập huấn, đối thoại", None),
    (
        "3",
        "Tập huấn nghiệp vụ CCHC cho công chức cấp xã",
        ("Phòng Nội vụ", "UBND các xã, thị trấn", "Quý II/2025", "Kinh phí CCHC năm 2025 của huyện"),
    ),
    (
        "4",
        "Đối thoại giữa Chủ tịch UBND huyện với người dân, doanh nghiệp",
        ("Văn phòng HĐND và UBND huyện", "Phòng Nội vụ, Phòng Tư pháp", "Tháng 9 - tháng 10/2025", "-"),
    ),
    (
        "5",
        "Cuộc thi tìm hiểu về CCHC",
        (
            "Phòng Nội vụ",
            "Huyện đoàn, Hội Liên hiệp Phụ nữ huyện, Liên đoàn Lao động huyện",
            "Theo kế hoạch riêng",
            "Ngân sách huyện",
        ),
    ),
    ("6", "Kiểm tra công tác tuyên truyền CCHC tại các xã", ("Phòng Nội vụ", "", "Hằng quý", "")),
]


def _bold(paragraph_or_doc, text: str, doc=None):
    p = paragraph_or_doc.add_paragraph()
    run = p.add_run(text)
    run.bold = True
    return p


def district_plan_docx() -> bytes:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(13)
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nHUYỆN CHƯ SÊ"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số: 12/KH-UBND"
    header.cell(1, 1).text = "Chư Sê, ngày 15 tháng 01 năm 2025"
    _bold(document, "KẾ HOẠCH")
    _bold(document, "Tuyên truyền cải cách hành chính năm 2025")
    document.add_paragraph(
        "Căn cứ Kế hoạch số 98/KH-UBND ngày 10/01/2025 của UBND tỉnh Gia Lai về tuyên truyền cải cách hành "
        "chính năm 2025; Ủy ban nhân dân huyện ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2025 "
        "như sau:"
    )
    document.add_heading("I. MỤC ĐÍCH, YÊU CẦU", level=1)
    document.add_heading("1. Mục đích", level=2)
    for text in (
        "Nâng cao nhận thức về CCHC của cán bộ, công chức, viên chức.",
        "Người dân, doanh nghiệp nắm được quy trình giải quyết thủ tục hành chính.",
        "Tạo sự đồng thuận của xã hội đối với CCHC.",
    ):
        document.add_paragraph(text, style="List Bullet")
    document.add_heading("2. Yêu cầu", level=2)
    for text in ("Bám sát nhiệm vụ CCHC của huyện.", "Hình thức tuyên truyền đa dạng, thiết thực."):
        document.add_paragraph(text, style="List Bullet")
    document.add_heading("II. NỘI DUNG TUYÊN TRUYỀN", level=1)
    document.add_paragraph("1. Chương trình tổng thể CCHC nhà nước giai đoạn 2021 - 2030.")
    document.add_paragraph("2. Kết quả CCHC của huyện năm 2024.")
    document.add_paragraph("3. Cơ chế một cửa, một cửa liên thông và dịch vụ công trực tuyến.")
    document.add_heading("III. NHIỆM VỤ CỤ THỂ", level=1)
    document.add_paragraph("Các nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.")
    document.add_heading("IV. TỔ CHỨC THỰC HIỆN", level=1)
    document.add_paragraph("1. Phòng Nội vụ: Theo dõi, tổng hợp, báo cáo kết quả thực hiện Kế hoạch.")
    document.add_paragraph("2. Các cơ quan, đơn vị, UBND các xã, thị trấn: Triển khai các nhiệm vụ được giao.")
    closing = document.add_table(rows=1, cols=2)
    closing.cell(
        0, 0
    ).text = "Nơi nhận:\n- UBND tỉnh (b/c);\n- Sở Nội vụ (b/c);\n- TT Huyện ủy, HĐND huyện;\n- Lưu: VT."
    closing.cell(0, 1).text = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\n\nNguyễn Văn Bình"
    document.add_page_break()
    _bold(document, "PHỤ LỤC")
    _bold(document, "NHIỆM VỤ TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH NĂM 2025")
    _task_table(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _task_table(document) -> None:
    columns = (
        "STT",
        "Nội dung/Nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian thực hiện",
        "Kinh phí",
    )
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = text
    for number, task, details in TASKS:
        row = table.add_row()
        row.cells[0].text = number
        if details is None:  # a group heading merged across the remaining columns
            merged = row.cells[1].merge(row.cells[len(columns) - 1])
            merged.text = task
            continue
        row.cells[1].text = task
        for cell, text in zip(row.cells[2:], details, strict=True):
            cell.text = text


def text_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a real text layer (Helvetica, so ASCII text only)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = "BT /F1 10 Tf 40 800 Td 13 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
            "/Contents 4 0 R >>"
        ),
        f"<< /Length {len(body)} >>\nstream\n{body}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def soffice_convert(source: Path, target: str) -> Path:
    """``soffice --convert-to target`` of a file, beside it (its own LibreOffice profile there too)."""
    import subprocess

    from cchc.plans.importer.convert import soffice

    out = source.parent
    subprocess.run(
        [soffice(), f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless", "--convert-to",
         target, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return out / f"{source.stem}.{target.split(':')[0]}"


def make_scan(docx_bytes: bytes, folder: Path) -> bytes:
    """A plan printed (LibreOffice → PDF), scanned (pdftoppm at 150 dpi), a little askew and blurred, and
    saved back as a PDF of images only — what arrives from an e-office system."""
    import subprocess

    from PIL import Image, ImageFilter

    (folder / "plan.docx").write_bytes(docx_bytes)
    pdf = soffice_convert(folder / "plan.docx", "pdf")
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(pdf), str(folder / "page")], check=True)
    pages = [
        Image.open(p).rotate(0.7, expand=True, fillcolor=255).filter(ImageFilter.GaussianBlur(0.6))
        for p in sorted(folder.glob("page*.png"))
    ]
    out = folder / "scan.pdf"
    pages[0].save(out, save_all=True, append_images=pages[1:], resolution=150)
    return out.read_bytes()
