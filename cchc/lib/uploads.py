"""Checking uploaded files by their content, not their name, before anything is stored.

Every upload in cchc (evidence, feedback attachments, plan documents, Excel imports) goes through
``check_upload``: the kind is recognised from magic bytes against an allow-list, the size is limited,
Office files (zip containers) are checked against zip bombs, and the stored name is random.

Beyond the magic bytes, the content must be what it claims to be and nothing more:

- no markup a browser or a server would run (``<?php``, ``<script``, ``<html``, ``<svg``) inside an image
  or a PDF — the "polyglot" that is both a valid JPEG and a PHP or HTML page; SVG is never accepted;
- no archive glued to the end of an image or PDF (GIFAR-style), no data after a PNG's last chunk;
- no JavaScript, launch or remote-file actions in a PDF, no link but to the web or e-mail (``/URI file:///``
  is refused), no encrypted PDF (it cannot be checked);
- no macros, executables, encrypted entries or ``../`` paths inside Office files, and no external template,
  OLE object or ``mhtml:``/``file:`` target fetched when the file is opened;
- when ``CLAMD_SOCKET`` or ``CLAMD_HOST`` is set, ClamAV's daemon scans the bytes (a file is refused if
  the daemon finds something *or cannot be reached*: an unscanned file is not stored).

The user's file name is kept for display and download only, reduced to its last path component and
given the extension of what the file really is ("anh.jpg.php" → "anh.jpg", "thu-moi.html" holding a PDF →
"thu-moi.pdf"): store ``CheckedUpload.download_name``, never ``original_name``. Files are served back
only through ``attachment_response`` (attachment, ``nosniff``, a sandboxing CSP).
"""

from __future__ import annotations

import io
import re
import secrets
import socket
import struct
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 20 * MB
# An Office file whose content expands past this, or 100 times its size, is refused as a bomb.
MAX_UNZIPPED_BYTES = 200 * MB
MAX_RATIO = 100
MAX_FILES_PER_REQUEST = 10


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
PPTX = FileKind(
    "pptx", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint"
)

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
    _check_office_entries(archive_infos(data))
    _check_office_relationships(data)
    if total > MAX_UNZIPPED_BYTES or total > MAX_RATIO * max(len(data), 1):
        raise UploadRejected(_("Tệp nén bên trong bung ra quá lớn (nghi là “bom nén”); hệ thống không nhận tệp này."))
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "ppt/presentation.xml" in names:
        return PPTX
    return None


def archive_infos(data: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.infolist()


# Entries that make an Office file run code, or smuggle a program inside it.
_OFFICE_FORBIDDEN = re.compile(
    r"(vbaProject\.bin|vbaData\.xml|\.(exe|dll|com|scr|bat|cmd|ps1|vbs|vbe|js|jse|wsf|hta|"
    r"jar|msi|sh|php|py|lnk))$",
    re.IGNORECASE,
)


def _check_office_entries(infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or ".." in PurePath(name).parts or re.match(r"^[A-Za-z]:", name):
            raise UploadRejected(
                _("Tệp nén chứa đường dẫn bất thường (“%(entry)s”); hệ thống không nhận tệp này.")
                % {"entry": name[:80]}
            )
        if info.flag_bits & 0x1:
            raise UploadRejected(
                _("Tệp Office có phần bị mã hóa bằng mật khẩu nên không kiểm tra được. Hãy gỡ mật khẩu rồi gửi lại.")
            )
        if _OFFICE_FORBIDDEN.search(name):
            raise UploadRejected(
                _(
                    "Tệp Office chứa macro hoặc chương trình nhúng (“%(entry)s”). Hãy lưu lại dưới "
                    "dạng .docx/.xlsx/.pptx thông thường, không có macro."
                )
                % {"entry": name[:80]}
            )


# Relationships that make Word or Excel fetch something when the file is opened: a remote template
# ("attachedTemplate" → http://…/t.dotm), an OLE object, a frame or sub-document, or any target through
# mhtml:, file:, a Windows share (\\host\share) or a non-web scheme. Plain web links stay allowed.
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>", re.IGNORECASE)
_FETCHING_TYPES = re.compile(
    rb'Type="[^"]*/(attachedTemplate|oleObject|frame|subDocument|externalLinkPath|externalLink|package|'
    rb'control|audio|video|image)"',
    re.IGNORECASE,
)
_SAFE_LINK = re.compile(rb'Target="\s*(https?://|mailto:|#)', re.IGNORECASE)


def _check_office_relationships(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.filename.lower().endswith(".rels") or info.file_size > 5 * MB:
                continue
            for relationship in _RELATIONSHIP.findall(archive.read(info)):
                if b'TargetMode="External"' not in relationship and b"TargetMode='External'" not in relationship:
                    continue
                fetching = _FETCHING_TYPES.search(relationship)
                if fetching or not _SAFE_LINK.search(relationship):
                    raise UploadRejected(
                        _(
                            "Tệp Office tham chiếu tới một tệp hoặc mẫu bên ngoài (%(what)s) sẽ được tải về khi "
                            "mở tệp. Hãy lưu lại tệp dưới dạng .docx/.xlsx/.pptx thông thường, không liên kết mẫu "
                            "hay đối tượng bên ngoài."
                        )
                        % {"what": (fetching.group(1) if fetching else b"link").decode("ascii", "replace")}
                    )


# Markup that a browser or a web server would execute if the bytes were ever served as a page.
# Patterns are at least five bytes long so that random bytes in a large photo do not match by chance.
# Event handlers ("<img src=x onerror=...>") run without any <script>: an attribute named on... after a space,
# a slash or a quote, then "=", is markup a browser would run.
_ACTIVE_MARKUP = re.compile(
    rb"<\?php|<script|<html[\s>]|<svg[\s>/]|<!doctype\s+html|<iframe|<object[\s>]|"
    rb"<embed[\s>]|<body[\s>]|<img[\s/]|<math[\s>]|<style[\s>]|<link[\s/]|<meta[\s/]|<form[\s>]|"
    rb"<base[\s/]|<frame|<video[\s/]|<audio[\s/]|<details[\s>]|<marquee|<xml[\s>:]|<\?xml-stylesheet|"
    rb"[\s/\"'`]on[a-z]{3,30}\s*=|javascript:|vbscript:|data:text/html",
    re.IGNORECASE,
)
# PDF actions that run code or programs. Names may hide letters as #xx escapes ("/J#61vaScript").
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Stream contents are compressed bytes where any short pattern turns up by chance: scan around them.
_PDF_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


def pdf_skeleton(data: bytes) -> bytes:
    """The PDF without its stream contents, name escapes decoded: the dictionaries a reader acts on."""
    return _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), _PDF_STREAM.sub(b"stream endstream", data))


def _looks_like_svg_or_html(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and (b"<svg" in head or b"<html" in head or b"<!doctype" in head or b"<?xml" in head)


def _png_trailer_ok(data: bytes) -> bool:
    """Walk the PNG's chunks to IEND; anything after it is a smuggled payload."""
    pos = 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        pos += 12 + length
        if kind == b"IEND":
            return pos == len(data)
    return False


def _pdf_is_active(data: bytes) -> str | None:
    """Why a PDF is refused (scripts, launch actions, embedded files, encryption), or None."""
    skeleton = pdf_skeleton(data)
    found = _PDF_ACTIVE.search(skeleton)
    if found:
        return found.group(1).decode("ascii")
    for uri in _PDF_URI.findall(skeleton):
        if not _PDF_SAFE_URI.match(uri.decode("latin-1")):
            return "URI"
    # Compressed object streams can hide the names from a byte scan: ask the PDF parser too.
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return "Encrypt"
        root = reader.trailer["/Root"]
        names = root.get("/Names")
        if names is not None and any(k in names.get_object() for k in ("/JavaScript", "/EmbeddedFiles")):
            return "JavaScript"
        for holder in [root, *reader.pages]:
            action = holder.get("/OpenAction") if holder is root else None
            for candidate in (action, holder.get("/AA")):
                if candidate is not None and _pdf_action_is_active(candidate.get_object()):
                    return "JavaScript"
            for annotation in (holder.get("/Annots") or []) if holder is not root else []:
                annotation = annotation.get_object()
                for key in ("/A", "/AA"):
                    link = annotation.get(key)
                    if link is not None and _pdf_action_is_active(link.get_object()):
                        return "JavaScript"
    except Exception:  # noqa: BLE001 - a PDF the parser cannot read is still checked by the byte scan above
        return None
    return None


# Links a reader may follow from a PDF: the web and e-mail only; never file:///, a share, or another program.
_PDF_SAFE_URI = re.compile(r"^\s*(https?://|mailto:)", re.IGNORECASE)
_PDF_URI = re.compile(rb"/URI\s*\(\s*([^)]{0,20})", re.IGNORECASE)


def _pdf_action_is_active(action) -> bool:
    if isinstance(action, dict):
        if action.get("/S") in ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToR", "/GoToE"):
            return True
        if action.get("/S") == "/URI" and not _PDF_SAFE_URI.match(str(action.get("/URI", ""))):
            return True
        return any(_pdf_action_is_active(v.get_object()) for v in action.values() if hasattr(v, "get_object"))
    return False


def _check_content(kind: FileKind, data: bytes, name: str) -> None:
    if kind in (PNG, JPEG, GIF, WEBP, PDF):
        if _ACTIVE_MARKUP.search(pdf_skeleton(data) if kind == PDF else data):
            raise UploadRejected(
                _(
                    "Tệp “%(name)s” có chứa mã lệnh (HTML, script, PHP) ẩn bên trong nên không được "
                    "nhận. Hãy xuất lại tệp từ phần mềm gốc."
                )
                % {"name": name}
            )
        if zipfile.is_zipfile(io.BytesIO(data)):
            raise UploadRejected(
                _("Tệp “%(name)s” có một tệp nén gắn ở cuối (tệp “hai mặt”) nên không được nhận.") % {"name": name}
            )
    if kind == PNG and not _png_trailer_ok(data):
        raise UploadRejected(_("Ảnh “%(name)s” hỏng hoặc có dữ liệu lạ sau phần kết thúc ảnh.") % {"name": name})
    if kind == PDF:
        reason = _pdf_is_active(data)
        if reason == "Encrypt":
            raise UploadRejected(
                _("Tệp PDF “%(name)s” có mật khẩu nên không kiểm tra được. Hãy gỡ mật khẩu rồi gửi lại.")
                % {"name": name}
            )
        if reason:
            raise UploadRejected(
                _(
                    "Tệp PDF “%(name)s” chứa mã lệnh, tệp đính kèm hoặc lệnh chạy chương trình "
                    "(%(what)s) nên không được nhận. Hãy in lại ra PDF (Microsoft Print to PDF) rồi "
                    "gửi."
                )
                % {"name": name, "what": reason}
            )


# --- Antivirus: ClamAV's daemon (clamd) INSTREAM protocol, when configured ------------------------


class ScannerUnavailable(RuntimeError):
    pass


def _clamd_socket() -> socket.socket | None:
    path = getattr(settings, "CLAMD_SOCKET", "")
    host = getattr(settings, "CLAMD_HOST", "")
    timeout = getattr(settings, "CLAMD_TIMEOUT", 30)
    if path:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(path)
        return sock
    if host:
        return socket.create_connection((host, getattr(settings, "CLAMD_PORT", 3310)), timeout=timeout)
    return None


def clamd_scan(data: bytes) -> str | None:
    """Scan ``data`` with clamd. Return the signature name if infected, None if clean or no scanner is set.

    Raises ``ScannerUnavailable`` when a scanner is configured but does not answer properly.
    """
    try:
        sock = _clamd_socket()
    except OSError as err:
        raise ScannerUnavailable(str(err)) from err
    if sock is None:
        return None
    try:
        with sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), 64 * 1024):
                chunk = data[start : start + 64 * 1024]
                sock.sendall(struct.pack(">I", len(chunk)) + chunk)
            sock.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as err:
        raise ScannerUnavailable(str(err)) from err
    text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text.endswith("OK"):
        return None
    if text.endswith("FOUND"):
        return text.split(":", 1)[-1].rsplit(" ", 1)[0].strip()
    raise ScannerUnavailable(f"unexpected clamd reply: {text[:200]!r}")


def _antivirus(data: bytes, name: str) -> None:
    try:
        found = clamd_scan(data)
    except ScannerUnavailable:
        raise UploadRejected(
            _(
                "Hệ thống quét virus tạm thời không hoạt động nên chưa nhận được tệp “%(name)s”. Hãy "
                "thử lại sau ít phút."
            )
            % {"name": name}
        ) from None
    if found:
        raise UploadRejected(
            _("Tệp “%(name)s” bị phát hiện có mã độc (%(what)s) và không được lưu.") % {"name": name, "what": found}
        )


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    data: bytes
    original_name: str
    stored_name: str
    size: int

    @property
    def download_name(self) -> str:
        """The user's name with the extension its content has: "bao-cao.exe" holding a PDF → "bao-cao.pdf",
        "anh.jpg.php" holding a JPEG → "anh.jpg".

        Shown and offered on download, so a saved file never opens in a program its real kind does not match.
        """
        return display_name(self.original_name, self.kind)


def safe_original_name(name: str) -> str:
    """The user's file name for display only: no directories, no control characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '<>:"/\\|?*').strip(". ")
    return cleaned[:200] or "tep"


_EXTENSIONS = {
    "jpeg": ("jpg", "jpeg", "jpe"),
    "pdf": ("pdf",),
    "png": ("png",),
    "gif": ("gif",),
    "webp": ("webp",),
    "docx": ("docx",),
    "xlsx": ("xlsx",),
    "pptx": ("pptx",),
}


def display_name(name: str, kind: FileKind) -> str:
    """The safe name ending with the extension of what the file is: "anh.jpg.php" → "anh.jpg", "scan" → "scan.pdf"."""
    base = safe_original_name(name)
    own = _EXTENSIONS.get(kind.code, (kind.extension,))
    while "." in base:
        stem, ext = base.rsplit(".", 1)
        if ext.lower() in own:
            return base
        if not stem or len(ext) > 5:
            break
        base = stem
    return f"{base.rstrip('. ') or 'tep'}.{kind.extension}"


_BY_CONTENT_TYPE = {k.content_type: k for k in EVIDENCE_KINDS}


def served_name(name: str, content_type: str) -> str:
    """The name a stored file is offered under: the extension always that of its checked content type, so a
    file stored before names were fixed ("thu-moi.html" holding a PDF) still downloads as "thu-moi.pdf"."""
    kind = _BY_CONTENT_TYPE.get(content_type)
    return display_name(name, kind) if kind else f"{safe_original_name(name).rsplit('.', 1)[0]}.bin"


@contextmanager
def files_removed_on_failure(storage=None) -> Iterator[list[str]]:
    """Yield a list for the names of files stored inside the block; if the block fails (its transaction rolls
    back: a database error, a lost connection), they are deleted again, so no unreferenced file — often
    personal data — is left in the store. Put it *outside* the ``transaction.atomic`` block it guards."""
    names: list[str] = []
    try:
        yield names
    except BaseException:
        from django.core.files.storage import default_storage

        for name in names:
            try:
                (storage or default_storage).delete(name)
            except OSError:
                pass
        raise


def check_upload_count(files, max_count: int = MAX_FILES_PER_REQUEST) -> None:
    if len(files) > max_count:
        raise UploadRejected(_("Mỗi lần chỉ gửi tối đa %(n)d tệp.") % {"n": max_count})


def attachment_response(fileobj, download_name: str, content_type: str) -> FileResponse:
    """Serve a stored upload back: always as a download, never sniffed, never run as a page.

    Use it in the permission-checked view that serves evidence or attachments, e.g.
    ``return attachment_response(storage.open(obj.stored_name), obj.original_name, obj.content_type)``.
    """
    response = FileResponse(
        fileobj, as_attachment=True, filename=download_name, content_type=content_type or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def check_upload(
    upload,
    allowed: tuple[FileKind, ...] = EVIDENCE_KINDS,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> CheckedUpload:
    """Read and check an uploaded file; raise ``UploadRejected`` with a message saying what to do."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRejected(
            _("Tệp “%(name)s” lớn hơn %(limit)d MB cho phép.")
            % {"name": safe_original_name(upload.name), "limit": max_bytes // MB}
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRejected(
            _("Tệp “%(name)s” lớn hơn %(limit)d MB cho phép.")
            % {"name": safe_original_name(upload.name), "limit": max_bytes // MB}
        )
    if not data:
        raise UploadRejected(_("Tệp “%(name)s” rỗng.") % {"name": safe_original_name(upload.name)})
    if _looks_like_svg_or_html(data):
        raise UploadRejected(
            _(
                "Tệp “%(name)s” không thuộc loại được nhận: ảnh SVG và trang web có thể chứa mã lệnh. "
                "Hãy gửi ảnh PNG hoặc JPEG, hoặc in trang ra PDF."
            )
            % {"name": safe_original_name(upload.name)}
        )
    kind = sniff(data[:16], data)
    if kind is None or kind not in allowed:
        labels = ", ".join(k.label for k in allowed)
        raise UploadRejected(
            _(
                "Tệp “%(name)s” không thuộc loại được nhận (%(labels)s). Hệ thống kiểm tra nội dung "
                "tệp, không chỉ phần đuôi tên."
            )
            % {"name": safe_original_name(upload.name), "labels": labels}
        )
    original = safe_original_name(upload.name)
    _check_content(kind, data, original)
    _antivirus(data, original)
    return CheckedUpload(
        kind=kind,
        data=data,
        original_name=original,
        stored_name=f"{secrets.token_hex(16)}.{kind.extension}",
        size=len(data),
    )
