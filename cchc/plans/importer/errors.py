"""The one error the importer raises: a message a coordinator can act on, in Vietnamese and English."""

from __future__ import annotations

# code -> (Vietnamese message, English message). Each says what to do instead, because the person
# who sees it is a clerk holding a file, not a developer.
MESSAGES: dict[str, tuple[str, str]] = {
    "too_large": (
        ("Tệp lớn hơn 20 MB. Hãy lưu lại kế hoạch dưới dạng .docx không kèm ảnh, hoặc tách phụ lục ra tệp riêng."),
        ("The file is larger than 20 MB. Save the plan as a .docx without images, or split off the appendices."),
    ),
    "empty": (
        ("Tệp trống, không có nội dung văn bản. Hãy chọn đúng tệp kế hoạch (.docx, .md, .txt hoặc .pdf có lớp chữ)."),
        ("The file is empty. Choose the plan file itself (.docx, .md, .txt, or a .pdf with a text layer)."),
    ),
    "legacy_doc": (
        (
            "Không đọc được tệp Word cũ (.doc) này: tệp có thể bị hỏng. Hãy mở bằng Word hoặc LibreOffice, "
            "lưu thành .docx rồi tải lên lại."
        ),
        (
            "This legacy Word file (.doc) cannot be read: it may be damaged. Open it in Word or LibreOffice, "
            "save it as .docx and upload again."
        ),
    ),
    "no_libreoffice": (
        (
            "Máy chủ chưa cài LibreOffice nên chưa đọc được tệp .doc, .odt, .rtf. Quản trị viên cài bằng lệnh "
            '"apt-get install libreoffice-writer-nogui"; trong lúc chờ, hãy lưu tệp thành .docx rồi tải lên.'
        ),
        (
            "LibreOffice is not installed on the server, so .doc, .odt and .rtf files cannot be read. An "
            'administrator installs it with "apt-get install libreoffice-writer-nogui"; meanwhile, save the '
            "file as .docx and upload that."
        ),
    ),
    "conversion_timeout": (
        ("Chuyển đổi tệp mất quá lâu nên đã dừng lại. Hãy mở tệp trên máy, lưu thành .docx rồi tải lên lại."),
        (
            "Converting the file took too long and was stopped. Open it on your computer, save it as .docx "
            "and upload again."
        ),
    ),
    "scanned_pdf": (
        (
            "Tệp PDF này là bản quét nhưng không nhận dạng được chữ nào trên các trang. Hãy tải lên bản .docx "
            "gốc, hoặc bản quét rõ nét hơn."
        ),
        (
            "This PDF is a scan, but no text could be recognised on its pages. Upload the original .docx, or "
            "a clearer scan."
        ),
    ),
    "no_ocr": (
        (
            "Tệp PDF này là bản quét. Máy chủ chưa cài Tesseract để nhận dạng chữ; quản trị viên cài bằng lệnh "
            '"apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils". Trong lúc chờ, hãy tải lên bản .docx gốc.'
        ),
        (
            "This PDF is a scan. Tesseract, which reads scans, is not installed on the server; an administrator "
            'installs it with "apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils". Meanwhile, upload '
            "the original .docx."
        ),
    ),
    "too_many_pages": (
        (
            "Bản quét có quá nhiều trang (tối đa 40 trang) hoặc trang quá lớn. Hãy tách phụ lục ra, chỉ tải lên "
            "phần kế hoạch."
        ),
        (
            "The scan has too many pages (40 at most) or pages too large. Split off the appendices and upload "
            "the plan only."
        ),
    ),
    "encrypted_pdf": (
        "Tệp PDF được đặt mật khẩu. Hãy gỡ mật khẩu hoặc tải lên bản .docx gốc.",
        "The PDF is password-protected. Remove the password or upload the original .docx.",
    ),
    "unsupported": (
        ("Định dạng tệp không được hỗ trợ. Hãy lưu kế hoạch thành .docx, .doc, .odt, .rtf, .md, .txt hoặc .pdf."),
        ("This file format is not supported. Save the plan as .docx, .doc, .odt, .rtf, .md, .txt or .pdf."),
    ),
    "binary": (
        (
            "Tệp không phải văn bản đọc được (có thể là ảnh hoặc tệp nén). Hãy tải lên tệp kế hoạch "
            ".docx, .md, .txt hoặc .pdf."
        ),
        (
            "The file is not readable text (perhaps an image or an archive). Upload the plan as .docx, "
            ".md, .txt or .pdf."
        ),
    ),
    "corrupt": (
        ("Không đọc được tệp: tệp bị hỏng hoặc chưa tải lên hết. Hãy mở lại tệp trên máy, lưu lại rồi tải lên."),
        (
            "The file cannot be read: it is damaged or incomplete. Open it on your computer, save it "
            "again and re-upload."
        ),
    ),
    "not_a_plan": (
        (
            'Văn bản này không giống một kế hoạch (không tìm thấy tiêu đề "KẾ HOẠCH" và các mục nội '
            "dung, hình thức thực hiện). Hãy kiểm tra lại tệp, hoặc nhập kế hoạch trực tiếp trên màn "
            "hình."
        ),
        (
            'This document does not look like a plan (no "KẾ HOẠCH" title and no content or activity '
            "sections). Check the file, or enter the plan on screen instead."
        ),
    ),
}


class PlanImportError(Exception):
    """A document the importer refuses; ``message`` is Vietnamese, ``message_en`` English."""

    def __init__(self, message: str, code: str, message_en: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.message_en = message_en or message

    @classmethod
    def of(cls, code: str) -> PlanImportError:
        vi, en = MESSAGES[code]
        return cls(vi, code, en)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "message_en": self.message_en}
