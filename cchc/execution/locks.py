"""Which results may no longer change because a submitted report counts them.

The execution app does not know reports (the arrows point the other way), so the reports app registers
its rule when Django starts (``ReportsConfig.ready``)::

    from django.db.models import Exists, OuterRef
    from cchc.execution.locks import register_result_lock

    register_result_lock(
        "reports",
        lambda: Exists(ReportResult.objects.filter(result=OuterRef("pk"), report__status__in=LOCKING)),
        _("Kết quả này đã nằm trong báo cáo đã gửi; không thể sửa hoặc xóa."),
    )

A rule is a function returning a boolean expression over ``Result`` rows (usually an ``Exists`` over an
``OuterRef("pk")``), so a page of results learns which are locked in the very query that loads it:
``Result.objects.with_locks()`` annotates every rule, and ``lock_reason(result)`` reads the annotation
(or asks the database once when the result was loaded without it).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import BooleanField, Expression, ExpressionWrapper, Q

LockRule = Callable[[], Expression | Q]

_rules: dict[str, tuple[LockRule, str]] = {}


def register_result_lock(key: str, rule: LockRule, message: str) -> None:
    """Add (or replace) the rule named ``key``; ``message`` is shown when it refuses a change."""
    _rules[key] = (rule, message)


def unregister_result_lock(key: str) -> None:
    _rules.pop(key, None)


def _attr(key: str) -> str:
    return f"_locked_{key}"


def lock_annotations() -> dict[str, ExpressionWrapper]:
    return {_attr(key): ExpressionWrapper(rule(), output_field=BooleanField()) for key, (rule, _m) in _rules.items()}


def lock_reason(result) -> str | None:
    """Why ``result`` may not change, or None. One query unless it came from ``with_locks()``."""
    if not _rules or result.pk is None:
        return None
    if not all(hasattr(result, _attr(key)) for key in _rules):
        from cchc.execution.models import Result

        flags = (
            Result.objects.filter(pk=result.pk)
            .annotate(**lock_annotations())
            .values(*(_attr(key) for key in _rules))
            .first()
            or {}
        )
        for name, value in flags.items():
            setattr(result, name, value)
    for key, (_rule, message) in _rules.items():
        if getattr(result, _attr(key), False):
            return str(message)
    return None


# Rules asked of a result about to be saved (new, or with changed fields): a row-level rule cannot see a
# result that is not stored yet, nor the window a date change moves it into.
SaveCheck = Callable[[object], "str | None"]
_save_checks: dict[str, SaveCheck] = {}


def register_save_check(key: str, check: SaveCheck) -> None:
    """``check(result)`` returns why the result may not be saved as it now is, or None."""
    _save_checks[key] = check


def save_refusal(result) -> str | None:
    for check in _save_checks.values():
        reason = check(result)
        if reason:
            return str(reason)
    return None
