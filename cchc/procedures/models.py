"""The administrative-procedure catalogue (TTHC) and its search index."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.procedures.records import CHANNELS, LEVELS, ONLINE_LEVELS, ProcedureData

# ProcedureData fields stored as JSON lists of rows: always read and shown together with their
# procedure, never queried row by row (filters go through the search index's facets).
JSON_FIELDS = (
    "levels",
    "target_groups",
    "competent_agencies",
    "implementing_agencies",
    "coordinating_agencies",
    "authorized_agencies",
    "steps",
    "channels",
    "documents",
    "legal_bases",
    "results",
    "related_procedures",
)


class ProcedureStatus(models.TextChoices):
    ACTIVE = "active", _("Đang áp dụng")
    WITHDRAWN = "withdrawn", _("Đã bãi bỏ")


class ProcedureQuerySet(models.QuerySet):
    def active(self) -> ProcedureQuerySet:
        return self.filter(status=ProcedureStatus.ACTIVE)

    def visible_to(self, user) -> ProcedureQuerySet:
        """The catalogue is public, withdrawn procedures included (they stay marked as such)."""
        return self


class Procedure(models.Model):
    """An administrative procedure with the fields of the national TTHC database.

    Tables the portal flattens into text (steps, channels, documents, legal bases, results,
    related procedures) are kept as JSON rows with their ``*_text`` twin holding the source text
    when the rows do not say everything (see SOURCE_FORMAT.md). ``content_hash`` is
    ``ProcedureData.content_hash()``: an import compares it to tell changed from unchanged.
    """

    code = models.CharField(_("mã thủ tục"), max_length=64, unique=True)
    name = models.TextField(_("tên thủ tục"))
    decision_number = models.CharField(_("số quyết định"), max_length=255, blank=True)
    levels = models.JSONField(_("cấp thực hiện"), default=list, blank=True)
    procedure_type = models.CharField(_("loại thủ tục"), max_length=255, blank=True)
    field = models.CharField(_("lĩnh vực"), max_length=255, blank=True, db_index=True)
    target_groups = models.JSONField(_("đối tượng thực hiện"), default=list, blank=True)
    competent_agencies = models.JSONField(_("cơ quan có thẩm quyền"), default=list, blank=True)
    implementing_agencies = models.JSONField(_("cơ quan thực hiện"), default=list, blank=True)
    coordinating_agencies = models.JSONField(_("cơ quan phối hợp"), default=list, blank=True)
    authorized_agencies = models.JSONField(_("cơ quan được ủy quyền"), default=list, blank=True)
    receiving_address = models.TextField(_("địa chỉ tiếp nhận hồ sơ"), blank=True)
    steps = models.JSONField(_("trình tự thực hiện"), default=list, blank=True)
    steps_text = models.TextField(_("trình tự thực hiện (nguyên văn)"), blank=True)
    channels = models.JSONField(_("cách thức thực hiện"), default=list, blank=True)
    channels_text = models.TextField(_("cách thức thực hiện (nguyên văn)"), blank=True)
    documents = models.JSONField(_("thành phần hồ sơ"), default=list, blank=True)
    documents_note = models.TextField(_("ghi chú thành phần hồ sơ"), blank=True)
    documents_text = models.TextField(_("thành phần hồ sơ (nguyên văn)"), blank=True)
    legal_bases = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)
    legal_bases_text = models.TextField(_("căn cứ pháp lý (nguyên văn)"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    results = models.JSONField(_("kết quả thực hiện"), default=list, blank=True)
    result_keywords = models.TextField(_("từ khóa kết quả"), blank=True)
    result_description = models.TextField(_("mô tả kết quả"), blank=True)
    results_text = models.TextField(_("kết quả thực hiện (nguyên văn)"), blank=True)
    related_procedures = models.JSONField(_("thủ tục liên quan"), default=list, blank=True)
    related_procedures_text = models.TextField(_("thủ tục liên quan (nguyên văn)"), blank=True)
    # None: the source does not say (the national export has no such field).
    online_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến"),
        max_length=20,
        null=True,
        blank=True,
        choices=list(ONLINE_LEVELS.items()),
    )
    online_submission_offered = models.BooleanField(_("nộp hồ sơ trực tuyến"), default=False)
    portal_url = models.URLField(_("địa chỉ trên Cổng dịch vụ công quốc gia"), max_length=500, blank=True)
    source_group = models.CharField(_("nguồn"), max_length=100, blank=True)

    status = models.CharField(
        _("tình trạng"),
        max_length=10,
        choices=ProcedureStatus.choices,
        default=ProcedureStatus.ACTIVE,
    )
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64)
    created_at = models.DateTimeField(_("nhập lần đầu"), auto_now_add=True)
    changed_at = models.DateTimeField(_("nội dung đổi lần cuối"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("bãi bỏ lúc"), null=True, blank=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["name", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="active", withdrawn_at__isnull=True)
                | models.Q(status="withdrawn", withdrawn_at__isnull=False),
                name="procedures_procedure_withdrawn_at_iff_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("procedures:detail", args=[self.code])

    # -- ProcedureData round trip ------------------------------------------------------------------

    @staticmethod
    def values_from(data: ProcedureData) -> dict[str, Any]:
        """Model field values for a record (everything but status and timestamps)."""
        values = data.to_dict()
        values["content_hash"] = data.content_hash(values)
        return values

    def to_data(self) -> ProcedureData:
        return ProcedureData.from_dict({name: getattr(self, name) for name in ProcedureData.__dataclass_fields__})

    # -- display -----------------------------------------------------------------------------------

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ProcedureStatus.WITHDRAWN

    @property
    def level_labels(self) -> list[str]:
        return [LEVELS.get(level, level) for level in self.levels]

    @property
    def online_level_label(self) -> str:
        return ONLINE_LEVELS.get(self.online_level or "", "")

    @property
    def channel_rows(self) -> list[dict[str, Any]]:
        return [{**row, "label": CHANNELS.get(row["kind"], row["kind"])} for row in self.channels]

    @property
    def document_groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The dossier checklist in its groups, in order ("" for rows outside any group)."""
        groups: list[tuple[str, list[dict[str, Any]]]] = []
        for document in self.documents:
            if not groups or groups[-1][0] != document.get("group", ""):
                groups.append((document.get("group", ""), []))
            groups[-1][1].append(document)
        return groups


class ProcedureIndex(models.Model):
    """The name's search terms of one procedure, as cchc.lib.search computes them.

    The full-text engines index these columns: on SQLite, an FTS5 table kept in sync by triggers;
    on PostgreSQL, generated tsvector columns with GIN indexes (migration 0002). ``key`` orders
    procedures by the length of their name (then id), so "the shortest names holding every
    word" is read straight off an index, whatever the number of matches. The rows are kept
    narrow (the long texts are in ProcedureText) so that reading a few thousand is cheap.
    """

    key = models.BigIntegerField(primary_key=True)
    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="search_index")
    terms = models.TextField()  # folded words of the name and their pairs
    exact = models.TextField()  # exact keys of the name's words
    facets = models.TextField()  # filter terms
    summary = models.TextField()  # folded words and pairs of code, field, agencies, results

    class Meta:
        verbose_name = _("chỉ mục tìm kiếm")
        verbose_name_plural = _("chỉ mục tìm kiếm")

    def __str__(self) -> str:
        return f"{self.procedure_id}"


class ProcedureText(models.Model):
    """The search terms of a procedure's texts (summary, steps, dossier, legal bases), searched
    only when names answer poorly; same ``key`` as its ProcedureIndex row."""

    key = models.BigIntegerField(primary_key=True)
    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="search_text")
    facets = models.TextField()
    text = models.TextField()

    class Meta:
        verbose_name = _("chỉ mục văn bản")
        verbose_name_plural = _("chỉ mục văn bản")

    def __str__(self) -> str:
        return f"{self.procedure_id}"


class ProcedureSnippetSource(models.Model):
    """The text a search result's snippet is cut from: the record's summary and body as written
    (``ProcedureData.summary_source`` and ``body_source``), kept when the record is indexed. A page of
    results then reads one column for each procedure found by its texts instead of decoding the record's
    lists of steps, documents and legal bases (21–30 ms for a page of 20 such results at 100,000
    procedures, SEARCH.md). Written with the other index rows (``search.index_rows``); migration 0006
    wrote it for the procedures indexed before."""

    procedure = models.OneToOneField(
        Procedure, on_delete=models.CASCADE, primary_key=True, related_name="snippet_source"
    )
    text = models.TextField()

    class Meta:
        verbose_name = _("văn bản trích đoạn")
        verbose_name_plural = _("văn bản trích đoạn")

    def __str__(self) -> str:
        return f"{self.procedure_id}"


class SearchTerm(models.Model):
    """How many procedure names hold each term (``term`` "" holds the number of procedures),
    recounted from the full-text index after each import; ``generation`` tells the processes
    that cached the counts to read them again."""

    term = models.CharField(max_length=255, primary_key=True)
    documents = models.PositiveIntegerField()
    generation = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("thống kê từ tìm kiếm")
        verbose_name_plural = _("thống kê từ tìm kiếm")

    def __str__(self) -> str:
        return f"{self.term}: {self.documents}"


class FacetKind(models.TextChoices):
    FIELD = "field", _("Lĩnh vực")
    LEVEL = "level", _("Cấp thực hiện")
    AGENCY = "agency", _("Cơ quan thực hiện")
    ONLINE = "online", _("Mức độ trực tuyến")


class SearchFacet(models.Model):
    """A value the search can be filtered by, with how many active procedures have it:
    recounted after each import, read to fill the filter lists (one query)."""

    kind = models.CharField(max_length=10, choices=FacetKind.choices)
    value = models.CharField(max_length=255)
    label = models.CharField(max_length=500)
    documents = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("giá trị lọc")
        verbose_name_plural = _("giá trị lọc")
        ordering = ["kind", "label"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="procedures_facet_unique")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.label}"


class SearchSynonym(models.Model):
    """A province's own words for a procedure (``phrase``) and the catalogue's words for it
    (``replacement``; empty: words that say nothing of the procedure). They come before the
    lexicon shipped with cchc (``data/lexicon.txt``); see lexicon.py."""

    phrase = models.CharField(_("từ người dân dùng"), max_length=200)
    replacement = models.CharField(_("từ trong danh mục"), max_length=300, blank=True)
    folded = models.CharField(max_length=200, unique=True, editable=False)
    created_at = models.DateTimeField(_("thêm lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("từ đồng nghĩa tra cứu")
        verbose_name_plural = _("từ đồng nghĩa tra cứu")
        ordering = ["folded"]

    def __str__(self) -> str:
        return f"{self.phrase} = {self.replacement}"


class BestBet(models.Model):
    """A procedure a coordinator chose to show first for one query (compared folded)."""

    query = models.CharField(_("câu tìm kiếm"), max_length=200)
    folded = models.CharField(max_length=200, editable=False)
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="best_bets")
    created_at = models.DateTimeField(_("thêm lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thủ tục ưu tiên cho câu tìm kiếm")
        verbose_name_plural = _("thủ tục ưu tiên cho câu tìm kiếm")
        ordering = ["folded", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["folded", "procedure"], name="procedures_bestbet_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.query} → {self.procedure_id}"


class SearchQueryDay(models.Model):
    """What people searched, counted per day: the query (folded, and as last typed), how many
    searches, how many found nothing, how many were followed by opening a procedure. No
    personal data: never the address, the user or the session."""

    day = models.DateField()
    folded = models.CharField(max_length=200)
    text = models.CharField(max_length=200)
    searches = models.PositiveIntegerField(default=0)
    empty = models.PositiveIntegerField(default=0)  # searches that found nothing
    clicks = models.PositiveIntegerField(default=0)  # procedures opened from the results

    class Meta:
        verbose_name = _("câu tìm kiếm trong ngày")
        verbose_name_plural = _("câu tìm kiếm trong ngày")
        constraints = [models.UniqueConstraint(fields=["day", "folded"], name="procedures_queryday_unique")]
        indexes = [models.Index(fields=["folded"], name="procedures_queryday_folded")]

    def __str__(self) -> str:
        return f"{self.day} {self.text}: {self.searches}"
