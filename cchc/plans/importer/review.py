"""What the review screen needs beside the parsed values: where each came from, and what to check."""

from __future__ import annotations

from dataclasses import dataclass, field

# code -> (Vietnamese, English). The review screen shows the Vietnamese; logs and tests use the codes.
WARNINGS: dict[str, tuple[str, str]] = {
    "missing": (
        "Không tìm thấy trong văn bản; hãy nhập tay.",
        "Not found in the document; enter it by hand.",
    ),
    "inferred": (
        "Suy ra từ nội dung khác của văn bản, không có ở phần đầu; hãy kiểm tra.",
        "Inferred from elsewhere in the document, not from its header; please check.",
    ),
    "time_unread": (
        "Không hiểu được thời gian thực hiện; hãy chọn khoảng thời gian.",
        "The schedule text could not be read as dates; choose the period.",
    ),
    "no_time": ("Văn bản không nêu thời gian thực hiện.", "The document gives no time for this activity."),
    "no_agencies": ("Không tìm thấy cơ quan thực hiện.", "No implementing agency found."),
    "unknown_agency": (
        "Không chắc đây là tên một cơ quan; hãy kiểm tra cách tách danh sách.",
        "Not sure this is an agency name; check how the list was split.",
    ),
    "no_date": ("Văn bản căn cứ không ghi ngày ban hành.", "The cited document has no date."),
    "no_activities": (
        "Không tìm thấy hình thức, nhiệm vụ cụ thể nào (mục có cơ quan và thời gian thực hiện).",
        "No activities found (sections with agencies and a time to carry them out).",
    ),
    "recipients_unfinished": (
        'Danh sách nơi nhận không kết thúc bằng dòng "Lưu"; có thể đã đọc thiếu hoặc thừa.',
        'The recipient list does not end with a "Lưu" line; it may be incomplete or overrun.',
    ),
    "ocr": (
        "Đọc bằng nhận dạng chữ (OCR) từ bản quét: hãy so từng trang với ảnh của nó; các từ tô màu là từ máy "
        "chưa chắc.",
        "Read by text recognition (OCR) from a scan: compare each page with its image; highlighted words are unsure.",
    ),
    "unreadable_page": (
        "Không nhận dạng được chữ nào trên trang này; nội dung của trang có thể bị thiếu.",
        "No text could be recognised on this page; its content may be missing.",
    ),
    "page_skipped": (
        "Trang này chưa được đọc: đã hết thời gian nhận dạng của một lần tải lên.",
        "This page was not read: the recognition time of one upload ran out.",
    ),
    "pdf_layout": (
        "Đọc từ PDF: các đoạn bị ngắt dòng đã được nối lại, hãy kiểm tra kỹ.",
        "Read from a PDF: line-broken paragraphs were re-joined, please check carefully.",
    ),
}


@dataclass
class Review:
    """Collects warnings and the original text of each field while the fields are extracted."""

    warnings: list[dict[str, str]] = field(default_factory=list)
    source: dict[str, dict] = field(default_factory=dict)

    def warn(self, path: str, code: str) -> None:
        vi, en = WARNINGS[code]
        self.warnings.append({"path": path, "code": code, "message": vi, "message_en": en})

    def keep(self, path: str, text: str | None, line: int | None) -> None:
        if text:
            self.source[path] = {"text": text, "line": line}
