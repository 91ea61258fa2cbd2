"""Optimistic locking, one shape for every model: "someone saved first" is always ``StaleEdit``.

A model that people edit on screen inherits ``Versioned``; its edit form carries the version it was
loaded at (the parameter is always ``expected_version``); the action calls ``bump_version()`` inside its
transaction, which moves the version on only if nobody else did first and otherwise raises
``StaleEdit`` carrying the row as it is now, so the view can keep the user's input on screen and say
who saved before them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy


class Versioned(models.Model):
    """Abstract: a version number moved on by every save, and who made the last one, and when."""

    version = models.PositiveIntegerField(_lazy("phiên bản"), default=1)
    updated_at = models.DateTimeField(_lazy("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_lazy("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class StaleEdit(ValidationError):
    """The row changed since the user loaded it; ``current`` is the row as it is now (may be None)."""

    def __init__(self, current: models.Model | None = None, message: str | None = None):
        self.current = current
        if message is None:
            who = getattr(current, "updated_by", None)
            when = getattr(current, "updated_at", None)
            if who is not None and when is not None:
                message = _(
                    "%(who)s đã lưu thay đổi lúc %(when)s, sau khi bạn mở trang. Thay đổi của bạn chưa được lưu để "
                    "không ghi đè lên của họ; hãy tải lại trang, xem lại rồi sửa tiếp."
                ) % {"who": who, "when": timezone.localtime(when).strftime("%H:%M %d/%m/%Y")}
            else:
                message = _(
                    "Dữ liệu đã được người khác thay đổi sau khi bạn mở trang. Thay đổi của bạn chưa được lưu; "
                    "hãy tải lại trang, xem lại rồi sửa tiếp."
                )
        super().__init__(message, code="stale")


def bump_version(obj: models.Model, expected_version: int | None, *, actor=None) -> None:
    """Move ``obj``'s version on by one, only if it is still ``expected_version`` in the database.

    ``expected_version`` None means "the version ``obj`` was loaded at". Call inside the action's
    transaction, before saving the other fields with ``save(update_fields=[...])``.
    """
    model = type(obj)
    version = obj.version if expected_version is None else int(expected_version)
    values = {"version": version + 1}
    if any(f.name == "updated_by" for f in model._meta.get_fields()):
        values["updated_by"] = actor if getattr(actor, "is_authenticated", False) else None
    if any(f.name == "updated_at" for f in model._meta.get_fields()):
        values["updated_at"] = timezone.now()
    if not model._default_manager.filter(pk=obj.pk, version=version).update(**values):
        current = model._default_manager.filter(pk=obj.pk).first()
        raise StaleEdit(current)
    for name, value in values.items():
        setattr(obj, name, value)


STALE_STATUS = 409


def keep_input(form, err: StaleEdit) -> int:
    """The one way a view answers ``StaleEdit``: the bound form keeps what the user typed, the message
    goes on top of it, and the page is sent again with status 409 (Conflict) — htmx and API clients
    tell a refused save from a saved one by the status alone."""
    form.add_error(None, err)
    return STALE_STATUS
