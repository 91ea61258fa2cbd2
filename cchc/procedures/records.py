"""The normalised administrative-procedure record (TTHC) that every reader produces.

Plain dataclasses, no Django: the import command, the models and the search index are built on
top of them. ``to_dict``/``from_dict`` give a stable JSON form, which is also what
``content_hash`` digests, so a record read from the portal JSON-lines, from our CSV/XLSX layout or
from our own JSON export hashes the same when it says the same thing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cchc.lib.text import fold


def N_(text: str) -> str:  # noqa: N802 - the usual name of a gettext "no-op" marker
    """Marks a label for the catalogue (``cchc makemessages`` extracts ``N_``); it stays Vietnamese here,
    plain data without Django, and templates translate it where it is shown (``|translated``)."""
    return text


# Levels as the portal's "cấp thực hiện" names them; "huyen" no longer occurs in national data
# (districts were abolished on 1 July 2025) but local catalogues of 2024 still carry it.
LEVELS: dict[str, str] = {
    "bo": N_("Cấp bộ"),
    "tinh": N_("Cấp tỉnh"),
    "huyen": N_("Cấp huyện"),
    "xa": N_("Cấp xã"),
    "khac": N_("Cơ quan khác"),
}

CHANNELS: dict[str, str] = {
    "truc_tiep": N_("Trực tiếp"),
    "truc_tuyen": N_("Trực tuyến"),
    "buu_chinh": N_("Dịch vụ bưu chính"),
}

TIME_UNITS: dict[str, str] = {
    "ngay_lam_viec": N_("Ngày làm việc"),
    "ngay": N_("Ngày"),
    "gio": N_("Giờ"),
    "phut": N_("Phút"),
    "tuan": N_("Tuần"),
    "thang": N_("Tháng"),
    "nam": N_("Năm"),
}

ONLINE_LEVELS: dict[str, str] = {
    "toan_trinh": N_("Toàn trình"),
    "mot_phan": N_("Một phần"),
}


@dataclass
class Step:
    """One step of "trình tự thực hiện"; ``number`` is None for unnumbered paragraphs."""

    number: int | None
    title: str
    text: str


@dataclass
class Channel:
    """One way of submitting a dossier, with its time limit and fee.

    ``fee_amount`` is 0 for "Miễn phí" and None when the portal says nothing ("Không có
    thông tin"); ``fee_note`` is the explanation the portal prints in brackets after the fee.
    """

    kind: str
    time_text: str = ""
    time_value: float | None = None
    time_unit: str | None = None
    fee_amount: int | None = None
    fee_currency: str = ""
    fee_note: str = ""
    description: str = ""

    @property
    def label(self) -> str:
        return CHANNELS.get(self.kind, self.kind)


@dataclass
class Document:
    """One line of the dossier checklist ("thành phần hồ sơ")."""

    name: str
    originals: int = 0
    copies: int = 0
    forms: list[str] = dataclasses.field(default_factory=list)
    group: str = ""


@dataclass
class LegalBasis:
    """A legal document the procedure rests on; ``issued_on`` is an ISO date when the title says it."""

    number: str
    title: str = ""
    issued_on: str | None = None
    issuer: str = ""


@dataclass
class Result:
    """A document the procedure produces; ``code`` is the portal's result code (KQ.G10.000272)."""

    name: str
    code: str = ""


@dataclass
class RelatedProcedure:
    code: str = ""
    name: str = ""


_NESTED: dict[str, type] = {
    "steps": Step,
    "channels": Channel,
    "documents": Document,
    "legal_bases": LegalBasis,
    "results": Result,
    "related_procedures": RelatedProcedure,
}


@dataclass
class SearchText:
    """Texts for the search index, in three weights: name > summary > body.

    Each comes exact (lower-cased, accents kept, to rank a correctly accented match higher) and
    folded (accents stripped, đ→d, for accent-insensitive matching).
    """

    name: str
    name_folded: str
    summary: str
    summary_folded: str
    body: str
    body_folded: str


@dataclass
class ProcedureData:
    """An administrative procedure as the national TTHC database describes it.

    Every table the portal flattens into text has a structured list and a ``*_text`` twin. The
    twin is empty when the list says everything the source said, and holds the source text
    otherwise, so nothing is ever lost (see SOURCE_FORMAT.md).
    """

    code: str
    name: str
    decision_number: str = ""
    levels: list[str] = dataclasses.field(default_factory=list)
    procedure_type: str = ""
    field: str = ""
    target_groups: list[str] = dataclasses.field(default_factory=list)
    competent_agencies: list[str] = dataclasses.field(default_factory=list)
    implementing_agencies: list[str] = dataclasses.field(default_factory=list)
    coordinating_agencies: list[str] = dataclasses.field(default_factory=list)
    authorized_agencies: list[str] = dataclasses.field(default_factory=list)
    receiving_address: str = ""
    steps: list[Step] = dataclasses.field(default_factory=list)
    steps_text: str = ""
    channels: list[Channel] = dataclasses.field(default_factory=list)
    channels_text: str = ""
    documents: list[Document] = dataclasses.field(default_factory=list)
    documents_note: str = ""
    documents_text: str = ""
    legal_bases: list[LegalBasis] = dataclasses.field(default_factory=list)
    legal_bases_text: str = ""
    conditions: str = ""
    results: list[Result] = dataclasses.field(default_factory=list)
    result_keywords: str = ""
    result_description: str = ""
    results_text: str = ""
    related_procedures: list[RelatedProcedure] = dataclasses.field(default_factory=list)
    related_procedures_text: str = ""
    online_level: str | None = None
    online_submission_offered: bool = False
    portal_url: str = ""
    source_group: str = ""

    # -- serialisation -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProcedureData:
        """Inverse of ``to_dict``; unknown keys are a programming error and raise TypeError."""
        values = dict(data)
        for key, item_type in _NESTED.items():
            if key in values:
                values[key] = [item_type(**item) for item in values[key]]
        return cls(**values)

    def content_hash(self, as_dict: dict[str, Any] | None = None) -> str:
        """SHA-256 of the canonical JSON form: equal records hash equal, whatever their source.
        ``as_dict`` is this record's ``to_dict()`` where the caller has it already (an import needs both:
        ``dataclasses.asdict`` took a tenth of an import of the national catalogue, done twice).

        The parser's output is hashed, not the raw source, so a better parser marks records as
        changed once; that is the price of comparing CSV and portal imports on one footing.
        """
        values = self.to_dict() if as_dict is None else as_dict
        canonical = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    # -- derived views -------------------------------------------------------------------------

    @property
    def level_labels(self) -> list[str]:
        return [LEVELS.get(level, level) for level in self.levels]

    @property
    def online_level_label(self) -> str:
        return ONLINE_LEVELS.get(self.online_level or "", "")

    def summary_source(self) -> str:
        """What the search weighs second after the name: code, field, groups, agencies, results."""
        return _join(
            [self.code, self.field, self.result_keywords, self.decision_number, self.results_text]
            + self.target_groups
            + self.competent_agencies
            + self.implementing_agencies
            + [result.name for result in self.results]
        )

    def body_source(self) -> str:
        """What the search weighs last: steps, conditions, dossier, legal bases, related procedures.

        Fee notes and channel descriptions are left out: they repeat time limits and fee
        regulations across most records and would only add noise."""
        return _join(
            [step.title + " " + step.text for step in self.steps]
            + [self.steps_text, self.conditions, self.result_description]
            + [self.documents_note, self.documents_text, self.legal_bases_text, self.related_procedures_text]
            + [document.name for document in self.documents]
            + [basis.number + " " + basis.title for basis in self.legal_bases]
            + [related.name for related in self.related_procedures]
        )

    # The fields ``summary_source`` and ``body_source`` read: a search's snippets load only these.
    SEARCH_SOURCE_FIELDS = (
        "code",
        "field",
        "result_keywords",
        "decision_number",
        "results_text",
        "target_groups",
        "competent_agencies",
        "implementing_agencies",
        "results",
        "steps",
        "steps_text",
        "conditions",
        "result_description",
        "documents_note",
        "documents_text",
        "legal_bases_text",
        "related_procedures_text",
        "documents",
        "legal_bases",
        "related_procedures",
    )

    @classmethod
    def search_source(cls, values: dict[str, Any]) -> str:
        """The summary and body of a record given only its ``SEARCH_SOURCE_FIELDS``."""
        data = cls.from_dict({"name": "", **values})
        return data.summary_source() + " " + data.body_source()

    def search_text(self) -> SearchText:
        summary = self.summary_source()
        body = self.body_source()
        return SearchText(
            name=self.name.lower(),
            name_folded=fold(self.name),
            summary=summary.lower(),
            summary_folded=fold(summary),
            body=body.lower(),
            body_folded=fold(body),
        )


def _join(parts: list[str]) -> str:
    return " ".join(" ".join(part.split()) for part in parts if part)
