"""Retention periods for personal data, run by one command (``cchc anonymise_personal_data``).

Each app that keeps personal data registers what to anonymise and after how long, in its AppConfig:

    def ready(self):
        from cchc.privacy.retention import register
        from cchc.feedback.actions import do_anonymise_senders

        register("feedback.senders", _("Thông tin người gửi phản ánh"), months=settings.FEEDBACK_RETENTION_MONTHS,
                 anonymise=do_anonymise_senders)

``anonymise(cutoff, *, actor, dry_run)`` clears the personal fields of records closed before ``cutoff``
(keeping what statistics need), writes its own audit row, and returns how many records it changed (or
would change, with ``dry_run``). The operator schedules the one command daily (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from cchc.lib.months import months_before


@dataclass(frozen=True)
class Retention:
    name: str
    label: str
    months: int
    anonymise: Callable[..., int]


_registry: dict[str, Retention] = {}


def register(name: str, label: str, *, months: int, anonymise: Callable[..., int]) -> None:
    if months < 1:
        raise ValueError("a retention period is at least one month")
    _registry[name] = Retention(name, str(label), months, anonymise)


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered() -> list[Retention]:
    return sorted(_registry.values(), key=lambda r: r.name)


def cutoff_for(retention: Retention, now: dt.datetime) -> dt.datetime:
    return months_before(now, retention.months)
