"""National-portal procedure record (one line of the JSON-lines export) → ``ProcedureData``.

``parse_record`` never raises on odd content: what it cannot structure it keeps as text (the
``*_text`` fields). Missing or mistyped keys are the readers' business (see ``fileformats``).
SOURCE_FORMAT.md describes the input.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from cchc.lib.text import fold
from cchc.procedures import tables
from cchc.procedures.records import LEVELS, ProcedureData
from cchc.procedures.tables import NO_INFO, clean_block, clean_line, empty_if_no_info

__all__ = ["PORTAL_KEYS", "ProcedureData", "level_code", "parse_record", "split_list"]

PORTAL_KEYS = (
    "ma_thu_tuc",
    "detail_url",
    "formality_id",
    "ten_thu_tuc",
    "so_quyet_dinh",
    "cap_thuc_hien",
    "loai_thu_tuc",
    "linh_vuc",
    "doi_tuong_thuc_hien",
    "co_quan_co_tham_quyen",
    "dia_chi_tiep_nhan",
    "co_quan_duoc_uy_quyen",
    "co_quan_phoi_hop",
    "thu_tuc_lien_quan",
    "trinh_tu_thuc_hien",
    "cach_thuc_thuc_hien",
    "thanh_phan_ho_so",
    "can_cu_phap_ly",
    "co_quan_thuc_hien",
    "yeu_cau_dieu_kien",
    "ket_qua_xu_ly",
    "source_group",
)

_LEVELS_BY_FOLDED_LABEL = {fold(label): code for code, label in LEVELS.items()}
_LEVELS_BY_FOLDED_LABEL.update({fold(label.removeprefix("Cấp ")): code for code, label in LEVELS.items()})


def parse_record(record: dict[str, Any]) -> ProcedureData:
    raw = {key: _normalise(record.get(key)) for key in PORTAL_KEYS}
    data = ProcedureData(
        code=clean_line(raw["ma_thu_tuc"]),
        name=clean_line(raw["ten_thu_tuc"]),
        decision_number=clean_line(raw["so_quyet_dinh"]),
        levels=[level_code(label) or label for label in split_list(raw["cap_thuc_hien"])],
        procedure_type=clean_line(raw["loai_thu_tuc"]),
        field=clean_line(raw["linh_vuc"]),
        target_groups=split_list(raw["doi_tuong_thuc_hien"]),
        competent_agencies=split_list(raw["co_quan_co_tham_quyen"]),
        implementing_agencies=split_list(raw["co_quan_thuc_hien"]),
        coordinating_agencies=split_list(raw["co_quan_phoi_hop"]),
        authorized_agencies=split_list(raw["co_quan_duoc_uy_quyen"]),
        receiving_address=clean_block(empty_if_no_info(raw["dia_chi_tiep_nhan"])),
        conditions=clean_block(empty_if_no_info(raw["yeu_cau_dieu_kien"])),
        online_level=online_level_from_name(raw["ten_thu_tuc"]),
        portal_url=raw["detail_url"].strip(),
        source_group=raw["source_group"].strip(),
    )
    _parse_steps(data, raw["trinh_tu_thuc_hien"])
    _parse_channels(data, raw["cach_thuc_thuc_hien"])
    _parse_documents(data, raw["thanh_phan_ho_so"])
    _parse_legal_bases(data, raw["can_cu_phap_ly"])
    _parse_results(data, raw["ket_qua_xu_ly"])
    _parse_related(data, raw["thu_tuc_lien_quan"])
    return data


def _normalise(value: Any) -> str:
    """NFC (a fifth of the records mix decomposed diacritics) and no-break spaces as spaces."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")


def _kept(text: str) -> str:
    """The source text of a table whose rows do not say everything it said."""
    return clean_block(empty_if_no_info(text))


def _parse_steps(data: ProcedureData, text: str) -> None:
    data.steps, lossless = tables.parse_steps(text)
    data.steps_text = "" if lossless else _kept(text)


def _parse_channels(data: ProcedureData, text: str) -> None:
    data.channels, lossless = tables.parse_channels(text)
    data.channels_text = "" if lossless else _kept(text)


def _parse_documents(data: ProcedureData, text: str) -> None:
    data.documents, note, lossless = tables.parse_documents(text)
    data.documents_note = clean_block(note) if lossless else ""
    data.documents_text = "" if lossless else _kept(text)


def _parse_legal_bases(data: ProcedureData, text: str) -> None:
    data.legal_bases, lossless = tables.parse_legal_bases(text)
    data.legal_bases_text = "" if lossless else _kept(text)


def _parse_results(data: ProcedureData, text: str) -> None:
    parsed = tables.parse_results(text)
    data.online_submission_offered = parsed.online_submission_offered
    if parsed.lossless:
        data.results = parsed.results
        data.result_keywords = parsed.keywords
        data.result_description = parsed.description
    else:
        # Without a sound cut the widget text is all that can safely be dropped.
        widget = text.find("Chọn cơ quan thực hiện")
        data.results_text = _kept(text[:widget] if widget >= 0 else text)


def _parse_related(data: ProcedureData, text: str) -> None:
    data.related_procedures, lossless = tables.parse_related(text)
    data.related_procedures_text = "" if lossless else _kept(text)


# -- small helpers shared with the file readers ----------------------------------------------


def split_list(text: str) -> list[str]:
    """ "Công dân Việt Nam, Tổ chức (không bao gồm doanh nghiệp, HTX), Cán bộ, công chức, viên chức"
    → three items. A comma separates items only outside brackets and before a capital: names such
    as "Cán bộ, công chức, viên chức" or "Cục cảnh sát ... về trật tự, xã hội" contain commas."""
    text = clean_line(text)
    if text in ("", NO_INFO):
        return []
    items: list[str] = []
    depth = start = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0 and text[index + 1 : index + 3].strip()[:1].isupper():
            items.append(text[start:index])
            start = index + 1
    items.append(text[start:])
    return [item.strip() for item in items if item.strip()]


def level_code(label: str) -> str | None:
    """ "Cấp tỉnh", "cap tinh", "tỉnh" or "tinh" → "tinh"; None when unknown."""
    folded = fold(label)
    if folded in LEVELS:
        return folded
    return _LEVELS_BY_FOLDED_LABEL.get(folded)


_FULL_ONLINE = re.compile(r"(?:trực tuyến|dịch vụ công)\s+toàn trình")
_PARTIAL_ONLINE = re.compile(r"(?:trực tuyến|dịch vụ công)\s+một phần")


def online_level_from_name(name: str) -> str | None:
    """The portal export has no online-service-level field; a few names state it
    ("Đăng ký xe ... trực tuyến toàn trình"). Otherwise the level is unknown (None)."""
    text = clean_line(name).lower()
    if _FULL_ONLINE.search(text):
        return "toan_trinh"
    if _PARTIAL_ONLINE.search(text):
        return "mot_phan"
    return None
