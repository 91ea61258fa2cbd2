"""Matching the names written in documents to units and groups of the registry."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from cchc.lib.text import fold
from cchc.orgs.models import Unit, UnitGroup

_NOISE = re.compile(r"[^\w&/ ]+")


def name_key(text: str) -> str:
    """A key that ignores accents, case, punctuation and "Ủy ban nhân dân" written out."""
    key = fold(text).replace("uy ban nhan dan", "ubnd")
    key = _NOISE.sub(" ", key)
    return " ".join(key.split())


@dataclass(frozen=True)
class Match:
    unit: Unit | None = None
    group: UnitGroup | None = None
    # exact: a name or alias matched; close: a similar name, to be confirmed by a reviewer.
    quality: str = "exact"

    @property
    def found(self) -> bool:
        return self.unit is not None or self.group is not None


class Resolver:
    """Loads the registry valid on a date once, then matches many names without queries."""

    def __init__(self, on: dt.date, province: str = ""):
        self.on = on
        self.province = province
        self.exact: dict[str, Unit | UnitGroup] = {}
        for group in UnitGroup.objects.all():
            for name in [group.name, *group.aliases]:
                self.exact.setdefault(name_key(name), group)
        units = Unit.objects.valid_on(on)
        self.units = list(units.filter(province=province) if province else units)
        for unit in self.units:
            for name in [unit.name, unit.short_name, *unit.aliases]:
                if name:
                    self.exact.setdefault(name_key(name), unit)
        self._keys = list(self.exact)

    def match(self, text: str) -> Match:
        key = name_key(text)
        for candidate in (key, key.removesuffix(" tinh"), key.removeprefix("cac ")):
            hit = self.exact.get(candidate)
            if hit is not None:
                return self._wrap(hit, "exact")
        close = difflib.get_close_matches(key, self._keys, n=1, cutoff=0.88)
        if close:
            return self._wrap(self.exact[close[0]], "close")
        return Match(quality="none")

    @staticmethod
    def _wrap(hit, quality: str) -> Match:
        if isinstance(hit, UnitGroup):
            return Match(group=hit, quality=quality)
        return Match(unit=hit, quality=quality)
