"""Operational records: which scheduled command ran in which time slot, on which server."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Đang chạy")
    SUCCEEDED = "succeeded", _("Thành công")
    FAILED = "failed", _("Lỗi")


class ScheduledRun(models.Model):
    """One run of a scheduled command in one time slot ("send_reminders" on 2024-03-05).

    The unique (name, slot) row is the lock that lets every app server carry the same timers: the first
    server to insert the row runs the command, the others see it and skip. A failed run may be taken
    over by the next timer in the same slot.
    """

    name = models.CharField(_("lệnh"), max_length=100)
    slot = models.CharField(_("kỳ chạy"), max_length=40)  # "2024-03-05", "2024-W10", "2024-03-05T14"
    host = models.CharField(_("máy chủ"), max_length=255)
    attempts = models.PositiveIntegerField(_("số lần chạy"), default=1)
    status = models.CharField(_("trạng thái"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    output = models.TextField(_("kết quả"), blank=True)

    class Meta:
        verbose_name = _("lần chạy định kỳ")
        verbose_name_plural = _("lần chạy định kỳ")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="ops_scheduledrun_once_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.slot} ({self.get_status_display()})"
