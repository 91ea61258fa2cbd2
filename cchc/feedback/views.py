from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from cchc.audit.models import AuditEntry
from cchc.feedback import actions, protection, submission
from cchc.feedback.forms import (
    AnswerForm,
    AssignForm,
    ForwardForm,
    NoteForm,
    PublicFeedbackForm,
    PublishForm,
    RatingForm,
    ReassignForm,
    RejectForm,
    ReturnForm,
    ServiceRatingForm,
    StaffFeedbackForm,
    VersionedForm,
    new_form_token,
)
from cchc.feedback.models import (
    CRITERIA,
    Channel,
    Feedback,
    SatisfactionRating,
    Status,
    Urgency,
    due_soon_limit,
)
from cchc.feedback.permissions import (
    allowed_steps,
    can_enter_feedback,
    get_feedback_for_user,
    is_desk,
    role_may,
    status_allows,
)
from cchc.feedback.public import find_by_code, public_item, published_items, status_of
from cchc.feedback.redact import suggest_public_fields
from cchc.lib.paging import paginate
from cchc.lib.uploads import attachment_response, served_name
from cchc.lib.versioning import StaleEdit, keep_input
from cchc.orgs.models import Unit
from cchc.orgs.succession import successors_on

# --- Public pages -----------------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    """Published feedback and answers, searchable without accents."""
    q = request.GET.get("q", "").strip()[:200]
    page = paginate(request, published_items(q), per_page=20)
    page.object_list = [public_item(f) for f in page.object_list]
    context = {"page": page, "q": q}
    template = "feedback/_public_results.html" if request.htmx else "feedback/public_list.html"
    return render(request, template, context)


def public_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    feedback = published_items().filter(public_id=public_id).first()
    if feedback is None:
        raise Http404("not published")
    return render(request, "feedback/public_detail.html", {"item": public_item(feedback)})


def _refusal(request: HttpRequest, message: str, status: int, retry_after: int | None = None) -> HttpResponse:
    response = render(request, "feedback/refused.html", {"message": message}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def submit(request: HttpRequest) -> HttpResponse:
    """The public form: the honeypot, then ``accept_submission`` (a repeated POST, the rate limit, the CAPTCHA
    and the fields). An accepted submission redirects to its code."""
    if request.method != "POST":
        # The procedure page links here with ?tthc=<code>: the form starts with that procedure filled in.
        initial = {"procedure_code": request.GET.get("tthc", "")[:40]}
        return render(request, "feedback/submit.html", {"form": PublicFeedbackForm(initial=initial)})
    form = PublicFeedbackForm(request.POST, request.FILES)
    if form.is_honeypot_filled():
        return _refusal(request, protection.honeypot_message(), 400)
    try:
        result = submission.accept_submission(request, form, token=form.token)
    except submission.Refused as err:
        return _refusal(request, err.message, err.status, err.retry_after)
    except submission.InvalidSubmission:
        return render(request, "feedback/submit.html", {"form": form}, status=400)
    except actions.SubmissionConflict as err:
        # The same token with other content is refused with the text kept on screen, as the API answers 409
        # (issue 15, finding 7): the text stays on a form with a new token (and a new question), so sending it
        # again works.
        data = request.POST.copy()
        data["form_token"], data["captcha_answer"] = new_form_token(), ""
        fresh = PublicFeedbackForm(data)
        fresh.full_clean()
        fresh.add_error(None, err.messages[0])
        return render(request, "feedback/submit.html", {"form": fresh}, status=409)
    return redirect("feedback:sent", result.feedback.code)


def _tracking_refused(request: HttpRequest) -> HttpResponse | None:
    decision = protection.tracking_allowed(request)
    if decision.allowed:
        return None
    return _refusal(request, protection.tracking_limited_message(decision), 429, decision.retry_after)


def track(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    error = ""
    if code and (refused := _tracking_refused(request)) is not None:
        return refused
    if code:
        feedback = find_by_code(code)
        if feedback is not None:
            return redirect("feedback:track_detail", feedback.code)
        error = _(
            "Không tìm thấy phản ánh, kiến nghị có mã “%(code)s”. Hãy kiểm tra lại mã (dạng PAKN-XXXXX-XXXXX) "
            "trong thư điện tử hoặc trang xác nhận khi gửi."
        ) % {"code": code[:40]}
    return render(request, "feedback/track.html", {"code": code[:40], "error": error}, status=404 if error else 200)


def _tracking_page(request: HttpRequest, code: str, *, just_sent: bool) -> HttpResponse:
    feedback = find_by_code(code)
    if feedback is None:
        raise Http404("no such code")
    rated = SatisfactionRating.objects.filter(feedback_id=feedback.pk).exists()
    return render(
        request,
        "feedback/track_detail.html",
        {
            "s": status_of(feedback),
            "just_sent": just_sent,
            "rated": rated,
            "can_rate": feedback.status == Status.PUBLISHED and not rated,
        },
    )


def sent(request: HttpRequest, code: str) -> HttpResponse:
    return _tracking_page(request, code, just_sent=True)


def track_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _tracking_refused(request) or _tracking_page(request, code, just_sent=False)


def rate_feedback(request: HttpRequest, code: str) -> HttpResponse:
    """The sender (who holds the code) rates the handling of the item, once, after its answer is published."""
    feedback = find_by_code(code)
    if feedback is None:
        raise Http404("no such code")
    if feedback.status != Status.PUBLISHED:
        messages.error(request, _("Chỉ đánh giá được sau khi kết quả xử lý đã được công khai."))
        return redirect("feedback:track_detail", feedback.code)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_rate_feedback(Feedback.objects.get(pk=feedback.pk), form.scores())
        except ValidationError as err:
            messages.info(request, err.messages[0])
        else:
            messages.success(
                request, _("Cảm ơn bạn đã đánh giá. Ý kiến của bạn giúp cơ quan nhà nước phục vụ tốt hơn.")
            )
        return redirect("feedback:track_detail", feedback.code)
    return render(
        request, "feedback/rate.html", {"form": form, "s": status_of(feedback)}, status=400 if form.is_bound else 200
    )


def _closed_desk(request: HttpRequest, unit: Unit) -> HttpResponse:
    """A receipt printed before a reorganisation: its QR code leads to the agency that carries the work now
    (straight there when there is one, a choice when the area went to several), keeping the dossier."""
    heirs = successors_on(unit, timezone.localdate())
    if request.method == "POST" or not heirs:
        raise Http404("unit no longer exists")
    query = request.GET.urlencode()
    if len(heirs) == 1:
        url = reverse("feedback:rate_service", args=[heirs[0].code])
        return redirect(f"{url}?{query}" if query else url)
    return render(request, "feedback/rate_successors.html", {"unit": unit, "successors": heirs, "query": query})


def rate_service(request: HttpRequest, unit_code: str) -> HttpResponse:
    """After a procedure at a one-stop desk: the QR code on the receipt points here with the agency's code and,
    optionally, ``?ho_so=<dossier>&tthc=<procedure code>``."""
    unit = get_object_or_404(Unit, code=unit_code)
    if not unit.is_valid_on(timezone.localdate()):
        return _closed_desk(request, unit)
    if request.method != "POST":
        initial = {
            "dossier_code": request.GET.get("ho_so", "")[:60],
            "procedure_code": request.GET.get("tthc", "")[:40],
        }
        return render(request, "feedback/rate_service.html", {"form": ServiceRatingForm(initial=initial), "unit": unit})
    form = ServiceRatingForm(request.POST)
    if form.is_honeypot_filled():
        return _refusal(request, protection.honeypot_message(), 400)
    decision = protection.rating_allowed(request)
    if not decision.allowed:
        return _refusal(request, protection.rate_limited_message(decision), 429, decision.retry_after)
    if form.is_valid():
        try:
            actions.do_rate_service(
                unit,
                form.scores(),
                dossier_code=form.cleaned_data["dossier_code"],
                procedure_code=form.cleaned_data["procedure_code"] or None,
            )
        except ValidationError as err:
            form.add_error(None, err.messages[0])
        else:
            return render(request, "feedback/rated.html", {"unit": unit})
    return render(request, "feedback/rate_service.html", {"form": form, "unit": unit}, status=400)


# --- The desk and the agencies ------------------------------------------------------------------------------

STATUS_FILTERS = {
    "open": Q(status__in=[Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.ANSWERED]),
    **{s.value: Q(status=s.value) for s in Status},
}


def _desk_queryset(request: HttpRequest, today: dt.date):
    items = Feedback.objects.visible_to(request.user).select_related("assigned_unit")
    filters = {
        "status": request.GET.get("status", "open"),
        "urgency": request.GET.get("urgency", ""),
        "unit": request.GET.get("unit", ""),
        "channel": request.GET.get("channel", ""),
        "q": request.GET.get("q", "").strip()[:200],
    }
    if filters["status"] in STATUS_FILTERS:
        items = items.filter(STATUS_FILTERS[filters["status"]])
    if filters["urgency"] == Urgency.OVERDUE:
        items = items.overdue(today)
    elif filters["urgency"] == Urgency.DUE_SOON:
        items = items.due_soon(today)
    if filters["unit"]:
        items = items.filter(assigned_unit__code=filters["unit"])
    if filters["channel"] in Channel.values:
        items = items.filter(channel=filters["channel"])
    from cchc.lib.text import fold

    for word in fold(filters["q"]).split()[:10]:
        items = items.filter(desk_search__contains=word)
    return items.order_by(F("due_on").asc(nulls_last=True), "-received_at", "-id"), filters


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """The work list: the desk sees every item, an agency the items assigned to it; nearest deadline first."""
    today = timezone.localdate()
    items, filters = _desk_queryset(request, today)
    visible = Feedback.objects.visible_to(request.user)
    counts = visible.aggregate(
        open=Count("id", filter=STATUS_FILTERS["open"]),
        overdue=Count("id", filter=STATUS_FILTERS["open"] & Q(due_on__lt=today)),
        due_soon=Count("id", filter=STATUS_FILTERS["open"] & Q(due_on__gte=today, due_on__lte=due_soon_limit(today))),
    )
    page = paginate(request, items)
    rows = [(f, f.urgency(today)) for f in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "counts": counts,
        "today": today,
        "statuses": Status.choices,
        "channels": Channel.choices,
        "is_desk": is_desk(request.user),
        "can_enter": can_enter_feedback(request.user),
        "units": (
            Unit.objects.filter(assigned_feedback__isnull=False).distinct().order_by("name")
            if request.user.sees_everything or is_desk(request.user)
            else Unit.objects.none()
        ),
    }
    template = "feedback/_desk_table.html" if request.htmx else "feedback/desk.html"
    return render(request, template, context)


@login_required
def staff_new(request: HttpRequest) -> HttpResponse:
    """The desk enters feedback received on paper, by phone, in person or by e-mail."""
    if not can_enter_feedback(request.user):
        raise PermissionDenied
    form = StaffFeedbackForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        try:
            result = submission.accept_submission(request, form, token=form.token, actor=request.user)
        except submission.InvalidSubmission:
            pass
        except actions.SubmissionConflict as err:
            form.add_error(None, err.messages[0])
        else:
            messages.success(request, _("Đã nhập phản ánh, kiến nghị %(code)s.") % {"code": result.feedback.code})
            return redirect("feedback:detail", result.feedback.code)
    return render(request, "feedback/staff_new.html", {"form": form}, status=400 if form.is_bound else 200)


# The form and the confirmation of each step of ``permissions.STEPS`` on the detail page.
STEP_FORMS: dict[str, tuple[type[VersionedForm] | type[NoteForm], str]] = {
    "accept": (VersionedForm, _lazy("Đã tiếp nhận phản ánh, kiến nghị.")),
    "reject": (RejectForm, _lazy("Đã ghi nhận không tiếp nhận; người gửi được thông báo lý do.")),
    "assign": (AssignForm, _lazy("Đã chuyển cho cơ quan xử lý.")),
    "reassign": (ReassignForm, _lazy("Đã chuyển cho cơ quan khác.")),
    "forward": (ForwardForm, _lazy("Đã ghi nhận chuyển cơ quan có thẩm quyền; người gửi được thông báo.")),
    "answer": (AnswerForm, _lazy("Đã gửi kết quả xử lý tới Văn phòng UBND tỉnh để công khai.")),
    "return": (ReturnForm, _lazy("Đã đề nghị cơ quan xử lý bổ sung câu trả lời.")),
    "publish": (PublishForm, _lazy("Đã công khai kết quả xử lý.")),
    "note": (NoteForm, _lazy("Đã thêm ghi chú.")),
}


def _step_forms(user, feedback: Feedback, bound: dict | None = None) -> dict:
    """The forms of the steps the user may take on this item now, keyed by step (a bound one replaces its blank)."""
    forms = {}
    for step in allowed_steps(user, feedback):
        initial = {"version": feedback.version}
        if step == "publish":
            initial.update(suggest_public_fields(feedback))
        forms[step] = STEP_FORMS[step][0](initial=initial)
    forms.update(bound or {})
    return forms


def _render_detail(
    request: HttpRequest, feedback: Feedback, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    # The item's history is part of the item: whoever may see the item sees who did what to it.
    history = [
        (entry, entry.action_label)
        for entry in AuditEntry.objects.filter(
            object_type=Feedback._meta.label_lower, object_id=str(feedback.pk)
        ).order_by("at", "id")
    ]
    return render(
        request,
        "feedback/detail.html",
        {
            "f": feedback,
            "urgency": feedback.urgency(),
            "attachments": feedback.attachments.all(),
            "notes": feedback.notes.select_related("author", "unit"),
            "history": history,
            "forms": _step_forms(request.user, feedback, bound),
            "criteria": CRITERIA,
            "rating": SatisfactionRating.objects.filter(feedback_id=feedback.pk).first(),
        },
        status=status,
    )


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return _render_detail(request, get_feedback_for_user(request.user, code))


@login_required
@require_POST
def decide(request: HttpRequest, code: str, name: str) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, code)
    if name not in STEP_FORMS:
        raise Http404("no such step")
    if not role_may(request.user, name, feedback):
        raise PermissionDenied
    if not status_allows(name, feedback):  # the page was older than the item's status
        messages.error(
            request,
            _("Không thực hiện được ở trạng thái hiện tại (“%(status)s”). Trang đã được tải lại.")
            % {"status": feedback.get_status_display()},
        )
        return redirect("feedback:detail", feedback.code)
    form_class, done = STEP_FORMS[name]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            actions.do_take_step(feedback, name, form.cleaned_data, actor=request.user)
        except StaleEdit as err:
            feedback.refresh_from_db()
            return _render_detail(request, feedback, bound={name: form}, status=keep_input(form, err))
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
            return redirect("feedback:detail", feedback.code)
        messages.success(request, done)
        return redirect("feedback:detail", feedback.code)
    return _render_detail(request, feedback, bound={name: form}, status=400)


@login_required
def attachment(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, code)
    item = get_object_or_404(feedback.attachments.all(), pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return attachment_response(handle, served_name(item.original_name, item.content_type), item.content_type)
