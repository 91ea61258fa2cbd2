"""The import screens: upload a plan document, review what was read beside the source, correct, confirm.

Coordinators and administrators only. Each section of the review page saves on its own (htmx), under
the import's optimistic version: a save made on a page that someone else has changed since is refused
with an explanation and the reviewer's input kept on screen.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from cchc.accounts.models import Role
from cchc.accounts.permissions import role_required
from cchc.lib.paging import paginate
from cchc.lib.versioning import StaleEdit
from cchc.orgs.resolve import CLOSE, NONE
from cchc.plans.actions import (
    DuplicatePlan,
    do_confirm_import,
    do_correct_import,
    do_discard_import,
    do_upload_plan_file,
)
from cchc.plans.forms import ActivityForm, AgencyFormSet, HeaderForm, ListsForm, UploadForm
from cchc.plans.importer import PlanImportError
from cchc.plans.importer.reading import MAX_BYTES
from cchc.plans.imports import RegistryOptions, duplicate_of, plan_resolver, review_counts, section_of
from cchc.plans.models import PlanImport

EDITORS = (Role.COORDINATOR, Role.ADMIN)


def _open(warnings) -> bool:
    """Whether any of the warnings is still to be looked at."""
    return any(not w.get("reviewed") for w in warnings)


def get_import_for_user(user, pk: int) -> PlanImport:
    return get_object_or_404(
        PlanImport.objects.visible_to(user).select_related("plan", "created_by", "updated_by"), pk=pk
    )


# --- upload ---------------------------------------------------------------------------------------------


@role_required(*EDITORS)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_BYTES + 1)  # one byte more than allowed: the importer refuses it as too large
        same = PlanImport.objects.in_review().filter(sha256=hashlib.sha256(data).hexdigest()).first()
        if same is not None:
            messages.info(
                request,
                _("Tệp này đang được rà soát trong lần nhập #%(pk)s, mở lại lần nhập đó thay vì tạo lần nhập mới.")
                % {"pk": same.pk},
            )
            return _go(request, reverse("plans:import_review", args=[same.pk]))
        try:
            session = do_upload_plan_file(data, upload.name, actor=request.user)
        except PlanImportError as err:
            refusal = err
        else:
            return _go(request, reverse("plans:import_review", args=[session.pk]))
    status = 400 if refusal or form.errors else 200
    context = {"form": form, "refusal": refusal}
    if request.htmx:
        # htmx swaps only successful responses: a refusal is a normal answer to show in the form.
        return render(request, "plans/_import_upload_form.html", context)
    imports = (
        PlanImport.objects.visible_to(request.user)
        .in_review()
        .select_related("created_by", "updated_by")
        .order_by("-updated_at", "-pk")
    )
    return render(request, "plans/import_upload.html", {**context, "page": paginate(request, imports)}, status=status)


def _go(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@role_required(*EDITORS)
def import_original(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded file, from storage outside the web root, to those who may see the import."""
    session = get_import_for_user(request.user, pk)
    return FileResponse(session.original.open("rb"), as_attachment=True, filename=session.original_name)


@role_required(*EDITORS)
def import_page(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    """The image of one page of a scanned plan, shown beside what OCR read from it."""
    from cchc.plans.importer.ocr import render_page

    session = get_import_for_user(request.user, pk)
    if session.file_format != "scan" or not 1 <= page <= len(session.document.get("pages") or []):
        raise Http404
    with session.original.open("rb") as original:
        data = original.read()
    try:
        png = render_page(data, page, scale_to=1100)
    except PlanImportError as err:
        raise Http404 from err
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- review ---------------------------------------------------------------------------------------------


@dataclass
class ReviewPage:
    """Everything the review page shows; sections can be built with a reviewer's unsaved (bound) input."""

    session: PlanImport
    bound: dict = field(default_factory=dict)  # section -> bound form(s) to show instead of the saved values
    # The registry of an earlier page of the same import, reused while year and issuer are unchanged.
    earlier: ReviewPage | None = None

    def __post_init__(self):
        document = self.session.document
        self.document = document
        self.year = document.get("year")
        self.resolver = None
        self.issuer_match = None
        self.group_sizes: dict[str, int] = {}
        earlier = self.earlier
        self.earlier = None
        if (
            earlier is not None
            and self.year
            and (earlier.year, earlier.document.get("issuer")) == (self.year, document.get("issuer"))
        ):
            self.resolver, self.issuer_match = earlier.resolver, earlier.issuer_match
        elif self.year:
            self.resolver, self.issuer_match = plan_resolver(self.year, document.get("issuer"))
        if self.resolver is not None:
            self.options = RegistryOptions.of(self.resolver)
            kinds = Counter(unit.kind for unit in self.resolver.units)
            self.group_sizes = {g.code: sum(kinds[k] for k in g.kinds) for g in self.resolver.groups}
        else:
            self.options = RegistryOptions(by_label={}, by_code={}, groups=frozenset())
        self.warnings: dict[str, list[dict]] = {}
        for warning in document.get("warnings") or []:
            self.warnings.setdefault(section_of(warning["path"]), []).append(warning)

    # forms of each section, from the document or from the reviewer's unsaved input
    def header_form(self) -> HeaderForm:
        return self.bound.get("header") or HeaderForm(initial=HeaderForm.initial_from(self.document))

    def lists_form(self) -> ListsForm:
        return self.bound.get("lists") or ListsForm(initial=ListsForm.initial_from(self.document))

    def activity_forms(self, index: int) -> tuple[ActivityForm, AgencyFormSet]:
        bound = self.bound.get(f"activities[{index}]")
        if bound:
            return bound
        activity = self.document["activities"][index]
        return (
            ActivityForm(initial=ActivityForm.initial_from(activity), prefix=f"a{index}"),
            self.agency_formset(index),
        )

    def agency_formset(self, index: int, data=None) -> AgencyFormSet:
        """The agencies of an activity as rows: the name as written, the role, the registry entry picked."""
        initial = [
            {"name": a.get("name"), "role": a.get("role"), "match": self.options.label(a)}
            for a in self.document["activities"][index].get("agencies") or []
        ]
        return AgencyFormSet(
            data, initial=initial, prefix=f"a{index}-agencies", form_kwargs={"options": self.options, "year": self.year}
        )

    # what the templates render
    def header(self) -> dict:
        form = self.header_form()
        source = self.document.get("source") or {}
        rows = []
        for name in form.fields:
            path = HeaderForm.PATHS.get(name, name)
            warnings = [w for w in self.warnings.get("header", []) if w["path"].split(".")[0] == path]
            match = self.issuer_match if name == "issuer" else None
            rows.append(
                {
                    "field": form[name],
                    "source": source.get(path),
                    "warnings": warnings,
                    "match": match,
                    "wide": name in ("title", "audience"),
                    "uncertain": _open(warnings) or (match is not None and match.quality != "exact"),
                }
            )
        return {"form": form, "rows": rows, "uncertain": any(row["uncertain"] for row in rows)}

    def lists(self) -> dict:
        form = self.lists_form()
        source = self.document.get("source") or {}
        rows = []
        for name in form.fields:
            warnings = [w for w in self.warnings.get("lists", []) if w["path"] == name]
            rows.append(
                {"field": form[name], "source": source.get(name), "warnings": warnings, "uncertain": _open(warnings)}
            )
        return {"form": form, "rows": rows, "uncertain": any(row["uncertain"] for row in rows)}

    def activity(self, index: int) -> dict:
        form, formset = self.activity_forms(index)
        activity = self.document["activities"][index]
        agencies = activity.get("agencies") or []
        rows = []
        for i, agency_form in enumerate(formset.forms):
            saved = agencies[i] if i < len(agencies) else None
            path = f"activities[{index}].agencies[{i}]"
            rows.append(
                {
                    "form": agency_form,
                    "match": saved.get("match") if saved else None,
                    "group_size": self.group_sizes.get(saved.get("group")) if saved else None,
                    "warned": _open(w for w in self.warnings.get(f"activities[{index}]", []) if w["path"] == path),
                }
            )
        warnings = self.warnings.get(f"activities[{index}]", [])
        uncertain = _open(warnings) or any(a.get("match") in (CLOSE, NONE) for a in agencies)
        return {
            "index": index,
            "activity": activity,
            "form": form,
            "formset": formset,
            "rows": rows,
            "warnings": warnings,
            "uncertain": uncertain,
            "period_warned": _open(w for w in warnings if w["path"].endswith(".period")),
        }

    def activities(self) -> list[dict]:
        return [self.activity(i) for i in range(len(self.document.get("activities") or []))]

    def duties(self) -> list[dict]:
        return [
            {"duty": duty, "agencies": [(a, self.options.label(a)) for a in duty.get("agencies") or []]}
            for duty in self.document.get("duties") or []
        ]

    def context(self) -> dict:
        return {
            "session": self.session,
            "document": self.document,
            "review": self,
            "counts": review_counts(self.document),
            "duplicate": duplicate_of(self.session),
            "general_warnings": [{**w, "where": _where(w["path"])} for w in self.warnings.get("other", [])],
            "registry_options": list(self.options.by_label),
            "unreadable_pages": [p for p in self.document.get("pages") or [] if not p.get("lines")],
        }


_PLACES = {
    "legal_bases": gettext_lazy("Căn cứ"),
    "topics": gettext_lazy("Nội dung tuyên truyền"),
    "activities": gettext_lazy("Hình thức, biện pháp"),
    "duties": gettext_lazy("Tổ chức thực hiện"),
    "pages": gettext_lazy("Trang"),
}


def _where(path: str) -> str:
    head = path.split("[", 1)[0].split(".", 1)[0]
    m = re.match(r"^\w+\[(\d+)\]", path)
    place = _PLACES.get(head, _("Toàn văn bản"))
    return f"{place} {int(m.group(1)) + 1}" if m else place


@role_required(*EDITORS)
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_import_for_user(request.user, pk)
    return render(request, "plans/import_review.html", ReviewPage(session).context())


@require_POST
@role_required(*EDITORS)
def import_correct(request: HttpRequest, pk: int, section: str, index: int | None = None) -> HttpResponse:
    """Save one section of the review page: "header", "lists" or an activity."""
    session = get_import_for_user(request.user, pk)
    review = ReviewPage(session)
    path = section if index is None else f"activities[{index}]"
    if index is not None and not 0 <= index < len(session.document.get("activities") or []):
        return HttpResponse(status=404)
    forms, values = _bind(review, path, request.POST, index)
    problem = None
    if values is not None:
        try:
            session = do_correct_import(session, path, values, actor=request.user, expected_version=_version(request))
        except ValidationError as err:
            problem = err
    if values is None or problem is not None:
        review.bound[path] = forms
        return _section_response(
            request, review, path, index, problem=problem, status=409 if isinstance(problem, StaleEdit) else 400
        )
    saved = ReviewPage(session, earlier=review)
    response = _section_response(request, saved, path, index, saved=True)
    if request.htmx and saved.resolver is not review.resolver:
        # Another year or issuer: the agencies were matched again, so every section of the page changed.
        response["HX-Refresh"] = "true"
    return response


def _bind(review: ReviewPage, path: str, data, index: int | None):
    """The section's bound form(s), and the values to save (None when the input is not valid)."""
    if path == "header":
        form = HeaderForm(data)
        return form, form.values() if form.is_valid() else None
    if path == "lists":
        form = ListsForm(data)
        return form, form.values() if form.is_valid() else None
    form = ActivityForm(data, prefix=f"a{index}")
    activity = review.document["activities"][index]
    formset = review.agency_formset(index, data=data)
    if review.resolver is None:
        form.add_error(None, _("Hãy nhập năm của kế hoạch ở phần đầu trước: danh mục đơn vị tùy theo năm."))
    if not (form.is_valid() and formset.is_valid()):
        return (form, formset), None
    values = form.values()
    values["agencies"] = formset.agencies(activity.get("agencies") or [], review.resolver)
    return (form, formset), values


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # no version sent: treat as stale rather than overwrite blindly


def _section_response(
    request: HttpRequest,
    review: ReviewPage,
    path: str,
    index: int | None,
    *,
    saved: bool = False,
    problem: ValidationError | None = None,
    status: int = 200,
) -> HttpResponse:
    if not request.htmx:
        if saved:
            return redirect(reverse("plans:import_review", args=[review.session.pk]) + f"#{_anchor(path, index)}")
        if problem is not None:
            messages.error(request, " ".join(problem.messages))
        return render(request, "plans/import_review.html", review.context(), status=status)
    if path == "header":
        template, section = "plans/_import_header.html", review.header()
    elif path == "lists":
        template, section = "plans/_import_lists.html", review.lists()
    else:
        template, section = "plans/_import_activity.html", review.activity(index)
    context = {
        "session": review.session,
        "section": section,
        "saved": saved,
        "problem": " ".join(problem.messages) if problem is not None else "",
    }
    response = render(request, template, context)
    response["HX-Trigger"] = json.dumps(
        {"importVersion": review.session.version, "importCounts": review_counts(review.document)}
    )
    return response


def _anchor(path: str, index: int | None) -> str:
    return f"activity-{index}" if index is not None else path


@require_POST
@role_required(*EDITORS)
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_import_for_user(request.user, pk)
    try:
        plan, updated = do_confirm_import(
            session,
            actor=request.user,
            expected_version=_version(request),
            update_existing=request.POST.get("update") == "1",
        )
    except DuplicatePlan as err:
        messages.error(request, err.message)
        return redirect("plans:import_review", pk=session.pk)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("plans:import_review", pk=session.pk)
    if updated:
        messages.success(request, _("Đã cập nhật kế hoạch dự thảo từ văn bản vừa nhập."))
    else:
        messages.success(request, _("Đã tạo kế hoạch dự thảo từ văn bản vừa nhập."))
    # The same editor for every plan, imported or not: the review screen was only for reading the file.
    return redirect("plans:edit", pk=plan.pk)


@require_POST
@role_required(*EDITORS)
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_import_for_user(request.user, pk)
    try:
        do_discard_import(session, actor=request.user, expected_version=_version(request))
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("plans:import_review", pk=session.pk)
    messages.success(
        request, _("Đã hủy lần nhập “%(name)s”; không có kế hoạch nào được tạo.") % {"name": session.original_name}
    )
    return redirect("plans:import_upload")
