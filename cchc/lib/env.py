"""Typed readers for settings from the environment that fail loudly on bad values.

A typo in ``DEBUG=ture`` must stop the server at start, not quietly run in the wrong mode.
Every reader also accepts ``NAME_FILE``: a path whose content is the value (Docker/systemd secrets).
"""

from __future__ import annotations

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    pass


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as err:
            raise ConfigError(f"{name}_FILE={file_name!r} cannot be read: {err}") from err
    return os.environ.get(name)


def envstr(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None else value


def envbool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean: use 1/0, true/false, yes/no or on/off")


def envint(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not an integer") from None


def envlist(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def envrate(name: str, default: str) -> tuple[int, int]:
    """A rate limit written ``COUNT/PERIOD``: ``10/h``, ``300/m``, ``5/30s``, ``1000/15m``.

    Returns ``(count, seconds)``. ``COUNT`` 0 refuses everything; a huge count effectively turns the limit
    off (the load benchmark does that), but there is no spelling for "no limit" on purpose.
    """
    value = _raw(name)
    return parse_rate((default if value is None or value.strip() == "" else value), name)


def parse_rate(text: str, name: str = "rate") -> tuple[int, int]:
    """``"600/h"`` → ``(600, 3600)``; ``ConfigError`` naming ``name`` when it is not a rate."""
    text = text.strip().lower()
    count_text, sep, period_text = text.partition("/")
    digits = period_text.rstrip("smhd")
    unit = period_text[len(digits) :] or "s"
    try:
        count = int(count_text)
        multiple = int(digits) if digits else 1
        seconds = multiple * _PERIODS[unit]
    except (ValueError, KeyError):
        count, seconds = -1, 0
    if not sep or count < 0 or seconds <= 0:
        raise ConfigError(f"{name}={text!r} is not a rate: write COUNT/PERIOD, e.g. 10/h, 300/m or 5/30s")
    return count, seconds
