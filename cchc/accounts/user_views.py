"""The province administrator's user management (``/accounts/users/``): find accounts, create one for a unit and
role, edit it, reset its password, disable or enable it, remove its second factor.

Administrators only (``can_manage_users``); IT's superuser accounts stay in the Django admin. Every change is one
action of ``accounts/actions.py`` under the account's version, so two administrators cannot overwrite each other.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.accounts import actions
from cchc.accounts.forms import UserForm, units_matching
from cchc.accounts.models import Role, User
from cchc.accounts.permissions import get_user_for_admin, role_required
from cchc.audit.models import AuditEntry
from cchc.lib.paging import paginate
from cchc.lib.text import fold
from cchc.lib.versioning import StaleEdit, keep_input
from cchc.orgs.models import Unit

STATUSES = {"active": Q(is_active=True), "disabled": Q(is_active=False), "temporary": Q(must_change_password=True)}
HISTORY = 10


def _users(query: str, role: str, status: str):
    users = (
        User.objects.select_related("unit", "unit__parent")
        .annotate(has_mfa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("username")
    )
    if query:
        words = fold(query).split()
        by_unit = Q()
        for word in words:
            by_unit &= Q(unit__search_key__contains=word)
        users = users.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(email__icontains=query) | by_unit
        )
    if role in Role.values:
        users = users.filter(role=role)
    if status in STATUSES:
        users = users.filter(STATUSES[status])
    return users


@role_required(Role.ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    role, status = request.GET.get("role", ""), request.GET.get("status", "")
    context = {
        "page": paginate(request, _users(query, role, status)),
        "q": query,
        "role": role,
        "status": status,
        "roles": Role.choices,
        "statuses": [
            ("active", _("Đang hoạt động")),
            ("disabled", _("Đã khóa")),
            ("temporary", _("Chưa đổi mật khẩu tạm")),
        ],
    }
    template = "accounts/users/_user_rows.html" if request.htmx else "accounts/users/user_list.html"
    return render(request, template, context)


def _unit_picker(request: HttpRequest, form: UserForm, current: Unit | None = None) -> dict:
    """What the unit search box shows: the unit chosen (kept across a search) and the units matching the query."""
    query = (request.POST.get("unit_q") or request.GET.get("unit_q") or "").strip()[:100]
    code = request.POST.get("unit") if request.method == "POST" else None
    selected = current
    if code is not None:
        selected = Unit.objects.select_related("parent").filter(code=code).first() if code else None
    results = [u for u in units_matching(query) if selected is None or u.pk != selected.pk]
    return {"unit_q": query, "selected_unit": selected, "unit_results": results, "unit_searched": bool(query)}


@role_required(Role.ADMIN)
def unit_search(request: HttpRequest) -> HttpResponse:
    """The unit search box's results (htmx): the chosen unit first, then up to 15 units matching the query."""
    code = request.GET.get("unit", "")
    selected = Unit.objects.select_related("parent").filter(code=code).first() if code else None
    query = request.GET.get("unit_q", "").strip()[:100]
    results = [u for u in units_matching(query) if selected is None or u.pk != selected.pk]
    context = {"unit_q": query, "selected_unit": selected, "unit_results": results, "unit_searched": bool(query)}
    return render(request, "accounts/users/_unit_results.html", context)


def _password_page(request: HttpRequest, user: User, password: str, *, created: bool) -> HttpResponse:
    """The temporary password, shown once: never stored in clear, never cached by the browser or a proxy."""
    response = render(
        request, "accounts/users/user_password.html", {"account": user, "password": password, "created": created}
    )
    add_never_cache_headers(response)
    return response


def _form(request: HttpRequest, **kwargs) -> UserForm:
    """The account form: bound to what was sent, except after "Tìm" (a unit search without JavaScript), which
    shows the form again with the typed values and no errors: a search is not a failed submission."""
    if request.method != "POST":
        return UserForm(**kwargs)
    if "find_unit" in request.POST:
        initial = {**kwargs.pop("initial", {}), **request.POST.dict()}
        return UserForm(initial=initial, **kwargs)
    return UserForm(request.POST, **kwargs)


@role_required(Role.ADMIN)
def user_create(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if form.is_bound and form.is_valid():
        try:
            user, password = actions.do_create_user(
                {"username": form.cleaned_data["username"], **form.action_data()}, actor=request.user
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            return _password_page(request, user, password, created=True)
    searching = "find_unit" in request.POST
    context = {"form": form, "searching": searching, **_unit_picker(request, form)}
    return render(request, "accounts/users/user_form.html", context)


@role_required(Role.ADMIN)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_user_for_admin(request.user, pk)
    initial = {"version": account.version, "unit": account.unit.code if account.unit else ""}
    form = _form(request, instance=account, initial=initial, editing=True)
    status = 200
    if form.is_bound and form.is_valid():
        # The form wrote its values onto ``account``: the action compares against the row as saved.
        saved = get_user_for_admin(request.user, pk)
        try:
            changed = actions.do_update_user(
                saved, form.action_data(), expected_version=form.cleaned_data["version"], actor=request.user
            )
        except StaleEdit as err:
            status = keep_input(form, err)
        except ValidationError as err:
            form.add_error(None, err)
            status = 400
        else:
            if changed:
                messages.success(request, _("Đã lưu thay đổi của tài khoản %(name)s.") % {"name": saved.username})
            else:
                messages.info(request, _("Không có gì thay đổi."))
            return redirect("accounts:user_edit", pk=saved.pk)
    account = get_user_for_admin(request.user, pk) if form.is_bound else account
    history = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(account.pk)).select_related("actor")[
        :HISTORY
    ]
    context = {
        "form": form,
        "account": account,
        "has_mfa": TOTPDevice.objects.filter(user=account, confirmed=True).exists(),
        "history": history,
        "searching": "find_unit" in request.POST,
        **_unit_picker(request, form, current=account.unit),
    }
    return render(request, "accounts/users/user_form.html", context, status=status)


def _posted_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _account_action(request: HttpRequest, pk: int, run) -> HttpResponse:
    """Run ``run(account, version)``, which returns a page or the message to show on the account's page; a stale
    page or a refused change comes back as an error message there."""
    account = get_user_for_admin(request.user, pk)
    version = _posted_version(request)
    if version is None:
        messages.error(request, _("Trang đã cũ hoặc thiếu thông tin; hãy tải lại trang rồi làm lại."))
        return redirect("accounts:user_edit", pk=account.pk)
    try:
        outcome = run(account, version)
    except ValidationError as err:  # StaleEdit included: its message says who saved first
        messages.error(request, " ".join(err.messages))
        return redirect("accounts:user_edit", pk=account.pk)
    if isinstance(outcome, HttpResponse):
        return outcome
    messages.success(request, outcome % {"name": account.username})
    return redirect("accounts:user_edit", pk=account.pk)


@require_POST
@role_required(Role.ADMIN)
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    def run(account, version):
        password = actions.do_reset_password(account, expected_version=version, actor=request.user)
        return _password_page(request, account, password, created=False)

    return _account_action(request, pk, run)


@require_POST
@role_required(Role.ADMIN)
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    active = request.POST.get("active") == "1"

    def run(account, version):
        actions.do_set_user_active(account, active, expected_version=version, actor=request.user)
        if active:
            return _("Đã mở khóa tài khoản %(name)s.")
        return _("Đã khóa tài khoản %(name)s: không đăng nhập được nữa, phiên đang mở cũng kết thúc.")

    return _account_action(request, pk, run)


@require_POST
@role_required(Role.ADMIN)
def user_remove_mfa(request: HttpRequest, pk: int) -> HttpResponse:
    def run(account, version):
        actions.do_remove_mfa(account, expected_version=version, actor=request.user)
        return _(
            "Đã gỡ xác thực hai lớp của %(name)s. Lần đăng nhập tới, người dùng thiết lập lại trên điện thoại mới."
        )

    return _account_action(request, pk, run)
