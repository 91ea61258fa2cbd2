"""Scanned PDFs (OCR) and legacy .doc/.rtf (LibreOffice), made in the tests from a plan we wrote, and
the ways these paths can fail (issue 19). They need LibreOffice, poppler and Tesseract with its
Vietnamese model, and take a few seconds each: skipped where those are not installed (the project has
no "slow" marker yet; the scan is one page to keep the time small)."""

import io
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from cchc.plans.importer import PlanImportError, convert, ocr, parse_plan, plan_to_json, read_plan
from cchc.plans.importer.convert import convert_to_docx

from .documents import SHARED, make_scan, needs_shared
from .documents import soffice_convert as _soffice
from .test_importer_assignments import as_docx

PLANS = Path(__file__).parent / "plans"
COMMUNE = (PLANS / "chu-a-2026-wrapped.txt").read_text(encoding="utf-8")
EXPECTED = PLANS / "chu-a-2026-wrapped.expected.json"

needs_libreoffice = pytest.mark.skipif(convert.soffice() is None, reason="LibreOffice is not installed")
needs_ocr = pytest.mark.skipif(bool(ocr.missing_tools()), reason="Tesseract, its Vietnamese model or poppler missing")


def _score(plan: dict, tmp_path: Path) -> float:
    actual = tmp_path / "actual.json"
    actual.write_text(plan_to_json(plan), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "plan-score"), str(EXPECTED), str(actual)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return float(result.stdout.strip().splitlines()[-1].split()[1])


@pytest.fixture(scope="module")
def commune_docx() -> bytes:
    return as_docx(COMMUNE, font_size=9)


@pytest.fixture(scope="module")
def scanned_pdf(commune_docx, tmp_path_factory) -> bytes:
    return make_scan(commune_docx, tmp_path_factory.mktemp("scan"))


@needs_shared
@needs_libreoffice
@needs_ocr
def test_it_reads_a_scanned_plan_within_005_of_its_docx(commune_docx, scanned_pdf, tmp_path):
    docx_score = _score(parse_plan(commune_docx, "chu-a.docx"), tmp_path)
    started = time.monotonic()
    pages_done = []
    parsed = read_plan(scanned_pdf, "chu-a-scan.pdf", progress=lambda done, total: pages_done.append((done, total)))
    seconds = time.monotonic() - started
    assert docx_score == 1.0
    assert _score(parsed.plan, tmp_path) >= docx_score - 0.05
    assert parsed.kind == "scan" and pages_done[-1][0] == pages_done[-1][1] == len(parsed.plan["pages"])
    page = parsed.plan["pages"][0]
    assert page["confidence"] > 70 and page["lines"][0][0][0]
    assert [w["code"] for w in parsed.plan["warnings"][:2]] == ["pdf_layout", "ocr"]
    print(f"OCR: {seconds / len(parsed.plan['pages']):.1f} s per page")  # noqa: T201 - shown with -s


@needs_libreoffice
def test_it_imports_a_word_97_doc_like_its_docx(commune_docx, tmp_path):
    (tmp_path / "plan.docx").write_bytes(commune_docx)
    doc = _soffice(tmp_path / "plan.docx", "doc").read_bytes()
    assert doc.startswith(b"\xd0\xcf\x11\xe0")
    parsed = read_plan(doc, "ke-hoach.doc")
    original = parse_plan(commune_docx, "ke-hoach.docx")
    assert parsed.kind == "doc"
    for key in ("title", "year", "issuer", "number", "issued_on", "signer", "activities", "duties", "recipients"):
        assert parsed.plan[key] == original[key], key


@needs_libreoffice
def test_it_imports_an_rtf_like_its_docx(commune_docx, tmp_path):
    (tmp_path / "plan.docx").write_bytes(commune_docx)
    rtf = _soffice(tmp_path / "plan.docx", "rtf").read_bytes()
    parsed = read_plan(rtf, "ke-hoach.rtf")
    assert parsed.kind == "rtf"
    assert parsed.plan["activities"] == parse_plan(commune_docx, "a.docx")["activities"]


# --- what can go wrong ------------------------------------------------------------------------------


def _refusal(data: bytes, name: str) -> PlanImportError:
    with pytest.raises(PlanImportError) as refused:
        parse_plan(data, name)
    return refused.value


@needs_libreoffice
def test_it_refuses_a_doc_that_libreoffice_cannot_open():
    # an OLE file that claims a WordDocument stream and holds nothing
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "WordDocument".encode("utf-16-le") + b"\xff" * 2000
    assert _refusal(data, "hong.doc").code in {"legacy_doc", "not_a_plan", "empty"}


@needs_libreoffice
def test_it_stops_a_conversion_that_takes_too_long_and_leaves_no_process(tmp_path, monkeypatch):
    # This conversion's own folder: the other test worker may be converting a document at the same moment.
    folders = []
    temporary = convert.tempfile.TemporaryDirectory

    def recorded(*args, **kwargs):
        folder = temporary(*args, **kwargs)
        folders.append(folder.name)
        return folder

    monkeypatch.setattr(convert.tempfile, "TemporaryDirectory", recorded)
    started = time.monotonic()
    with pytest.raises(PlanImportError) as refused:
        convert_to_docx(b"{\\rtf1 K\\'ea ho\\'e1ch}", "rtf", time_limit=0.05)
    assert refused.value.code == "conversion_timeout"
    assert "lưu thành .docx" in refused.value.message
    assert time.monotonic() - started < 10
    assert len(folders) == 1
    left = [p for p in Path("/proc").glob("[0-9]*") if folders[0].encode() in _cmdline(p)]
    assert not left, "LibreOffice was left running"


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""


def test_it_says_how_to_install_libreoffice_when_it_is_missing(monkeypatch):
    monkeypatch.setattr(convert.shutil, "which", lambda name: None)
    err = _refusal(b"{\\rtf1 KE HOACH}", "ke-hoach.rtf")
    assert err.code == "no_libreoffice" and "apt-get install libreoffice-writer-nogui" in err.message


def test_it_says_how_to_install_tesseract_when_it_is_missing(monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    err = _refusal(_blank_scan(), "scan.pdf")
    assert err.code == "no_ocr" and "apt-get install tesseract-ocr tesseract-ocr-vie" in err.message


def _blank_scan() -> bytes:
    out = io.BytesIO()
    Image.new("L", (200, 280), 255).save(out, format="PDF")
    return out.getvalue()


@needs_ocr
def test_it_refuses_a_corrupt_or_blank_scan_clearly():
    data = _blank_scan()
    assert _refusal(data, "trang.pdf").code == "scanned_pdf"
    assert _refusal(data[: len(data) // 2], "hong.pdf").code in {"corrupt", "scanned_pdf"}


def _pdf(objects: list[bytes]) -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@needs_ocr
def test_it_refuses_pdf_bombs_quickly():
    started = time.monotonic()
    # 1. one page's content stream inflating to 200 MB of nothing (past pypdf's 75 MB limit)
    packer = zlib.compressobj(1)
    stream = b"".join(packer.compress(b" " * 10_000_000) for _ in range(20)) + packer.flush()
    inflating = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream",
        ]
    )
    assert _refusal(inflating, "bom.pdf").code in {"corrupt", "scanned_pdf"}
    # 2. ten thousand pages, all the same empty one
    many = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b"3 0 R " * 10_000 + b"] /Count 10000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )
    assert _refusal(many, "nhieu-trang.pdf").code == "too_many_pages"
    # 3. one page of 5 km by 5 km: rendered at a bounded size, read, found empty
    huge = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 99 >>",
        ]
    )
    assert _refusal(huge, "to.pdf").code in {"scanned_pdf", "corrupt"}
    assert time.monotonic() - started < 60


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("1II. TỔ CHỨC THỰC HIỆN", "III. TỔ CHỨC THỰC HIỆN"),
        ("lI. NỘI DUNG", "II. NỘI DUNG"),
        ("1V. KINH PHÍ", "IV. KINH PHÍ"),
        ("9, Các nội dung tuyên truyền khác", "9. Các nội dung tuyên truyền khác"),
        ("12, Ủy ban nhân dân", "12. Ủy ban nhân dân"),
    ],
)
def test_it_mends_roman_part_numbers_misread_by_ocr(read, meant):
    assert ocr.fix_marker(read) == meant


@pytest.mark.parametrize(
    "line", ["1. Mục đích", "11. Sở Tư pháp", "III. TỔ CHỨC", "I. MỤC ĐÍCH", "2024, Sở Nội vụ", "3, 4 và 5", "9, các"]
)
def test_it_leaves_arabic_and_well_read_numbers_alone(line):
    assert ocr.fix_marker(line) == line


def test_it_leaves_the_pages_past_the_time_budget_unread_instead_of_running_on(monkeypatch):
    monkeypatch.setattr(ocr, "missing_tools", lambda: [])
    monkeypatch.setattr(ocr, "render_page", lambda data, number: b"png")
    monkeypatch.setattr(ocr, "_recognise", lambda png: ([[("KẾ", False), ("HOẠCH", False)]], 90.0))
    clock = iter(range(0, 1000, 10))  # every look at the clock finds ten seconds gone
    monkeypatch.setattr(ocr.time, "monotonic", lambda: next(clock))
    pages = ocr.read_scanned_pdf(b"%PDF-", 3, budget=15)  # page 1 starts at 10 s, page 2 at 30 s
    assert [(p.number, p.skipped) for p in pages] == [(1, False), (2, True), (3, True)]


def test_killing_a_conversion_waits_until_its_whole_group_is_gone():
    # A wrapper whose own child outlives it, as LibreOffice's soffice script starts soffice.bin.
    wrapper = subprocess.Popen(["sh", "-c", "sleep 30 & wait"], start_new_session=True)  # noqa: S607
    time.sleep(0.1)
    assert convert._group_running(wrapper.pid)
    convert._kill_group(wrapper)
    assert not convert._group_running(wrapper.pid)
