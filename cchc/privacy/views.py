from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import role_required
from cchc.lib.paging import paginate
from cchc.lib.versioning import StaleEdit, keep_input
from cchc.privacy import actions
from cchc.privacy.forms import IncidentReportForm, IncidentUpdateForm, RequestForm, RequestStepForm
from cchc.privacy.models import DataSubjectRequest, Incident, RequestStatus
from cchc.privacy.permissions import INCIDENT_READ_ROLES, REQUEST_ROLES, can_edit_incidents


def policy(request: HttpRequest) -> HttpResponse:
    """The public privacy policy: what is collected, why, for how long, and how to exercise one's rights."""
    return render(
        request,
        "privacy/policy.html",
        {
            "controller": settings.PRIVACY_CONTROLLER,
            "contact": settings.PRIVACY_CONTACT,
            "ack_days": settings.PRIVACY_DSR_ACK_WORKING_DAYS,
        },
    )


def get_request_for_user(user, code: str) -> DataSubjectRequest:
    return get_object_or_404(DataSubjectRequest.objects.visible_to(user), code=code)


def get_incident_for_user(user, code: str, *, write: bool = False) -> Incident:
    incident = get_object_or_404(Incident.objects.visible_to(user), code=code)
    if write and not can_edit_incidents(user):
        raise PermissionDenied
    return incident


def _form_errors(form, err: ValidationError) -> None:
    if hasattr(err, "error_dict"):
        for field, errors in err.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for e in err.messages:
            form.add_error(None, e)


@role_required(*REQUEST_ROLES)
def request_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    requests = DataSubjectRequest.objects.visible_to(request.user).order_by("status", "due_on", "pk")
    status = request.GET.get("status", "open")
    if status == "open":
        requests = requests.open()
    elif status in RequestStatus.values:
        requests = requests.filter(status=status)
    page = paginate(request, requests)
    rows = [(r, r.acknowledge_clock(today), r.clock(today)) for r in page]
    return render(
        request,
        "privacy/request_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": RequestStatus.choices,
            "overdue": DataSubjectRequest.objects.visible_to(request.user).overdue(today).count(),
        },
    )


@role_required(*REQUEST_ROLES)
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        obj = actions.do_register_request(actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Đã vào sổ yêu cầu %(code)s. Hạn phản hồi %(ack)s, hạn thực hiện %(due)s.")
            % {
                "code": obj.code,
                "ack": obj.acknowledge_due.strftime("%d/%m/%Y"),
                "due": obj.due_on.strftime("%d/%m/%Y"),
            },
        )
        return redirect("privacy:request_detail", code=obj.code)
    return render(request, "privacy/request_form.html", {"form": form})


@role_required(*REQUEST_ROLES)
def request_detail(request: HttpRequest, code: str) -> HttpResponse:
    obj = get_request_for_user(request.user, code)
    today = timezone.localdate()
    form = RequestStepForm(request.POST or None, initial={"on": today, "version": obj.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["step"] == "acknowledge":
                actions.do_acknowledge_request(obj, on=data["on"], expected_version=data["version"], actor=request.user)
            else:
                actions.do_close_request(
                    obj,
                    refused=data["step"] == "refuse",
                    outcome=data["outcome"],
                    on=data["on"],
                    expected_version=data["version"],
                    actor=request.user,
                )
        except StaleEdit as err:
            status = keep_input(form, err)
        except ValidationError as err:
            _form_errors(form, err)
        else:
            messages.success(request, _("Đã cập nhật yêu cầu %(code)s.") % {"code": obj.code})
            return redirect("privacy:request_detail", code=obj.code)
    return render(
        request,
        "privacy/request_detail.html",
        {
            "obj": obj,
            "form": form,
            "ack_clock": obj.acknowledge_clock(today),
            "clock": obj.clock(today),
            "open": obj.status in (RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED),
        },
        status=status,
    )


@role_required(*INCIDENT_READ_ROLES)
def incident_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    incidents = Incident.objects.visible_to(request.user).order_by("-detected_at", "-pk")
    if request.GET.get("status", "open") == "open":
        incidents = incidents.open()
    page = paginate(request, incidents)
    rows = [(i, i.initial_clock(now), i.authority_clock(now)) for i in page]
    return render(
        request, "privacy/incident_list.html", {"page": page, "rows": rows, "status": request.GET.get("status", "open")}
    )


@login_required
def incident_report(request: HttpRequest) -> HttpResponse:
    """Any staff member reports a suspected incident; the clocks start at the detection time they give."""
    form = IncidentReportForm(
        request.POST or None, initial={"detected_at": timezone.localtime().replace(second=0, microsecond=0)}
    )
    if request.method == "POST" and form.is_valid():
        obj = actions.do_report_incident(actor=request.user, **form.cleaned_data)
        messages.success(
            request, _("Đã ghi nhận sự cố %(code)s và báo cho quản trị hệ thống. Cảm ơn bạn.") % {"code": obj.code}
        )
        if Incident.objects.visible_to(request.user).filter(pk=obj.pk).exists():
            return redirect("privacy:incident_detail", code=obj.code)
        return redirect("plans:my_work")
    return render(request, "privacy/incident_report.html", {"form": form})


@role_required(*INCIDENT_READ_ROLES)
def incident_detail(request: HttpRequest, code: str) -> HttpResponse:
    obj = get_incident_for_user(request.user, code, write=request.method == "POST")
    form = IncidentUpdateForm(request.POST or None, instance=obj, initial={"version": obj.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            actions.do_update_incident(obj, changes=data, expected_version=version, actor=request.user)
        except StaleEdit as err:
            status = keep_input(form, err)
        except ValidationError as err:
            _form_errors(form, err)
        else:
            messages.success(request, _("Đã cập nhật sự cố %(code)s.") % {"code": obj.code})
            return redirect("privacy:incident_detail", code=obj.code)
        obj.refresh_from_db()
    now = timezone.now()
    return render(
        request,
        "privacy/incident_detail.html",
        {
            "obj": obj,
            "form": form,
            "can_edit": can_edit_incidents(request.user),
            "initial_clock": obj.initial_clock(now),
            "authority_clock": obj.authority_clock(now),
        },
        status=status,
    )
