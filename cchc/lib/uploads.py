"""Checking uploaded files by their content, not their name, before anything is stored.

Every upload in cchc (evidence, feedback attachments, plan documents, Excel imports) goes through
``check_upload``: the kind is recognised from magic bytes against an allow-list, the size is limited,
Office files (zip containers) are checked against zip bombs, and the stored name is random.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 20 * MB
# An Office file whose content expands past this, or 100 times its size, is refused as a bomb.
MAX_UNZIPPED_BYTES = 200 * MB
MAX_RATIO = 100


@dataclass(frozen=True)
class FileKind:
    code: str
    extension: str
    content_type: str
    label: str


PDF = FileKind("pdf", "pdf", "application/pdf", "PDF")
PNG = FileKind("png", "png", "image/png", "PNG")
JPEG = FileKind("jpeg", "jpg", "image/jpeg", "JPEG")
GIF = FileKind("gif", "gif", "image/gif", "GIF")
WEBP = FileKind("webp", "webp", "image/webp", "WebP")
DOCX = FileKind("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word")
XLSX = FileKind("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel")
PPTX = FileKind("pptx", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "PowerPoint")

EVIDENCE_KINDS = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX)
IMAGE_KINDS = (PNG, JPEG, GIF, WEBP)


class UploadRejected(ValueError):
    """Raised with a message fit to show the user (Vietnamese, or English when chosen)."""


def sniff(head: bytes, data_for_zip: bytes | None = None) -> FileKind | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04") and data_for_zip is not None:
        return _office_kind(data_for_zip)
    return None


def _office_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if total > MAX_UNZIPPED_BYTES or total > MAX_RATIO * max(len(data), 1):
        raise UploadRejected(_("Tệp nén bên trong bung ra quá lớn (nghi là “bom nén”); hệ thống không nhận tệp này."))
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "ppt/presentation.xml" in names:
        return PPTX
    return None


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    data: bytes
    original_name: str
    stored_name: str
    size: int

    @property
    def download_name(self) -> str:
        """The user's name with the extension its content has: "bao-cao.exe" holding a PDF → "bao-cao.pdf".

        Shown and offered on download, so a saved file never opens in a program its real kind does not match.
        """
        path = PurePath(self.original_name)
        suffix = path.suffix.lower().lstrip(".")
        if suffix == self.kind.extension or (self.kind is JPEG and suffix in {"jpeg", "jpe"}):
            return self.original_name
        return f"{path.stem if suffix else self.original_name}.{self.kind.extension}"


def safe_original_name(name: str) -> str:
    """The user's file name for display only: no directories, no control characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '<>:"/\\|?*')
    return cleaned[:200] or "tep"


def check_upload(upload, allowed: tuple[FileKind, ...] = EVIDENCE_KINDS, max_bytes: int = MAX_UPLOAD_BYTES,
                 ) -> CheckedUpload:
    """Read and check an uploaded file; raise ``UploadRejected`` with a message saying what to do."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRejected(_("Tệp “%(name)s” lớn hơn %(limit)d MB cho phép.")
                             % {"name": safe_original_name(upload.name), "limit": max_bytes // MB})
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRejected(_("Tệp “%(name)s” lớn hơn %(limit)d MB cho phép.")
                             % {"name": safe_original_name(upload.name), "limit": max_bytes // MB})
    if not data:
        raise UploadRejected(_("Tệp “%(name)s” rỗng.") % {"name": safe_original_name(upload.name)})
    kind = sniff(data[:16], data)
    if kind is None or kind not in allowed:
        labels = ", ".join(k.label for k in allowed)
        raise UploadRejected(_("Tệp “%(name)s” không thuộc loại được nhận (%(labels)s). Hệ thống kiểm tra nội dung "
                               "tệp, không chỉ phần đuôi tên.") % {"name": safe_original_name(upload.name),
                                                                  "labels": labels})
    original = safe_original_name(upload.name)
    return CheckedUpload(kind=kind, data=data, original_name=original,
                         stored_name=f"{secrets.token_hex(16)}.{kind.extension}", size=len(data))
