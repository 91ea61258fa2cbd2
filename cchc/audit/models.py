"""The one append-only audit log that every action writes."""

from __future__ import annotations

from django.conf import settings
from django.db import connections, models, transaction
from django.utils.translation import gettext_lazy as _


class AuditQuerySet(models.QuerySet):
    def visible_to(self, user) -> AuditQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(unit_id=user.unit_id)

    def update(self, **kwargs):  # noqa: ARG002 - the log is append-only
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")

    def purge_before(self, moment) -> int:
        """Retention purge: the only deletion, done by ``cchc purge_audit``, never by a view.

        On PostgreSQL a trigger (migration 0002) refuses every DELETE on the table unless the
        transaction first sets ``cchc.audit_purge``; this is the one place that sets it.
        """
        with transaction.atomic(using=self.db):
            connection = connections[self.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('cchc.audit_purge', 'on', true)")
            return models.QuerySet.delete(self.filter(at__lt=moment))[0]

    def between(self, start, end) -> AuditQuerySet:
        """Entries with ``start <= at < end`` (aware datetimes)."""
        return self.filter(at__gte=start, at__lt=end)


class AuditEntry(models.Model):
    """Who did what, when (stored in UTC), from which address, to which object."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("tài khoản"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=60, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=60, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["-at", "-id"]
        indexes = [
            # The audit trail of one object ("history of this plan").
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")

    @property
    def action_label(self) -> str:
        """What the action name means, in the interface's language (``cchc.audit.registry``)."""
        from cchc.audit.registry import label

        return label(self.action)
