"""Access rows for URLs that belong to no cchc app: Django's admin site.

The admin is for administrators only: every other role, and anonymous, is sent to the admin's log-in
page. What the administrator gets depends on the model admin's own permissions (a read-only admin
answers 403 to "add"), so those rows are derived from ``admin.site``'s registry for every model.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory

from cchc.tests.matrix import LOGIN, REDIRECT, STAFF, Access


def _admin_only(admin_status, **overrides) -> dict:
    table = {role: LOGIN for role in ("anonymous", *STAFF)}
    table["admin"] = admin_status
    table.update(overrides)
    return table


def _model_admin_for(name: str):
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model, model_admin, name[len(prefix) :]
    return None, None, None


def _admin_request(w):
    request = RequestFactory().get("/admin/")
    request.user = w.personas.admin
    return request


def _first(model, w):
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        raise AssertionError(
            f"the access world has no {model._meta.label} for its admin pages: add one in a world() "
            "hook of the app's tests/access.py"
        )
    return obj


def admin_access(pattern) -> Access | None:
    """The row for one admin URL pattern, or None if it is not an admin pattern."""
    if not pattern.route.startswith("admin/"):
        return None
    name = pattern.name.split(":", 1)[1] if pattern.name and pattern.name.startswith("admin:") else ""
    fixed = {
        "index": Access(get=_admin_only(200)),
        "login": Access(get={**{r: 200 for r in ("anonymous", *STAFF)}, "admin": 302}),
        # POST only; the admin answers a GET with a redirect to its index (which sends non-admins to log in).
        "logout": Access(get={**{r: REDIRECT for r in ("anonymous", *STAFF)}, "admin": 405}),
        "password_change": Access(get=_admin_only(200)),
        "password_change_done": Access(get=_admin_only(200)),
        # Without its query parameters the autocomplete refuses even the administrator.
        "autocomplete": Access(get=_admin_only(403)),
        "jsi18n": Access(get=_admin_only(200)),
        "app_list": Access(get=_admin_only(200), kwargs={"app_label": "accounts"}),
        "view_on_site": Access(
            get=_admin_only(404),
            kwargs=lambda w: {
                "content_type_id": ContentType.objects.get_for_model(type(w.units.commune_a)).pk,
                "object_id": w.units.commune_a.pk,
            },
        ),
        "auth_user_password_change": Access(get=_admin_only(200), kwargs=lambda w: {"id": w.personas.officer_a.pk}),
    }
    if name in fixed:
        return fixed[name]
    if pattern.route == "admin/(?P<url>.*)$":
        return Access(get=_admin_only(404), kwargs={"url": "no-such-page/"})
    if name:
        model, model_admin, view = _model_admin_for(name)
        if model is None:
            return None
    else:
        # admin/<app>/<model>/<path:object_id>/ — an old-style address that redirects to the change page.
        parts = pattern.route.split("/")
        model = next(
            (m for m in admin.site._registry if m._meta.app_label == parts[1] and m._meta.model_name == parts[2]), None
        )
        if model is None:
            return None
        return Access(get=_admin_only(302), kwargs=lambda w, model=model: {"object_id": _first(model, w).pk})

    def object_kwargs(w, model=model):
        key = "pk" if "pk" in pattern.converters else "object_id"
        return {key: _first(model, w).pk}

    def status(w, view=view, model_admin=model_admin):
        request = _admin_request(w)
        if view == "add":
            return 200 if model_admin.has_add_permission(request) else 403
        if view == "delete":
            return 200 if model_admin.has_delete_permission(request) else 403
        return 200

    needs_object = bool(pattern.converters)
    return Access(get=_admin_only(status), kwargs=object_kwargs if needs_object else {})


def world(w):
    """Objects for every registered admin model, so each change/delete/history page has something to show."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    Group.objects.get_or_create(name="Nhóm thử")
    TOTPDevice.objects.create(user=w.personas.coordinator, name="điện thoại", confirmed=True)
    AccessAttempt.objects.create(
        username="officer-a", ip_address="127.0.0.1", user_agent="test", failures_since_start=1
    )
    AccessLog.objects.create(username="officer-a", ip_address="127.0.0.1", user_agent="test")
    AccessFailureLog.objects.create(username="officer-a", ip_address="127.0.0.1", user_agent="test", locked_out=False)


ACCESS: dict = {
    # Django's language switch: a redirect back, for everyone (POST sets the cookie; GET changes nothing).
    "set_language": Access(
        get={r: REDIRECT for r in ("anonymous", *STAFF)}, post={r: REDIRECT for r in ("anonymous", *STAFF)}
    ),
}  # admin rows are computed by admin_access()
