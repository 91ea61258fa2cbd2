"""Matching the names written in documents to units and groups of the registry.

A name is tried, in order, against:

1. the exact names, short names and aliases of the units valid on the date (and the named groups),
   after folding accents and case and writing out the abbreviations officials use inside names
   ("VP UBND tỉnh", "Đài PT-TH tỉnh", "BHXH tỉnh");
2. the same with the province written out or left off ("Sở Nội vụ tỉnh Gia Lai", "UBND tỉnh"), an
   explanation in brackets dropped ("Sở Nội vụ (cơ quan thường trực)") and a leading "các" dropped;
3. a loose key that also ignores spaces, "và", "&" and dashes ("Sở TT-TT", "Sở Thông tin - Truyền
   thông", "Sở TTTT");
4. level phrases ("UBND các huyện, thành phố", "UBND các xã, thị trấn") → the district or commune group,
   and the plan's own committee written without its name ("UBND xã" in a commune's plan);
5. a close spelling (OCR slips such as "Bru điện tỉnh"), which is only ever a *close* match for a
   reviewer to confirm.

A name that two different units share is never silently given to one of them: the match is *close*.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from cchc.lib.text import fold
from cchc.orgs.models import Unit, UnitGroup, UnitKind

_NOISE = re.compile(r"[^\w&/ ]+")
_BRACKETS = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")

# Abbreviations written inside agency names, as folded words → the words they stand for. Only the
# unambiguous ones: "TT" (trung tâm / thông tin / thị trấn) and "CA" are left to the aliases.
_ABBREVIATIONS = {
    "vp": "van phong",
    "tp": "thanh pho",
    "tx": "thi xa",
    "bql": "ban quan ly",
    "kkt": "khu kinh te",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "mttqvn": "mat tran to quoc viet nam",
    "ubmttq": "uy ban mat tran to quoc",
    "ubmttqvn": "uy ban mat tran to quoc viet nam",
    "bhxh": "bao hiem xa hoi",
    "kbnn": "kho bac nha nuoc",
    "nhnn": "ngan hang nha nuoc",
    "bchqs": "bo chi huy quan su",
    "bdbp": "bo doi bien phong",
    "ptth": "phat thanh truyen hinh",
    "pt th": "phat thanh truyen hinh",
    "pt&th": "phat thanh truyen hinh",
    "pvhcc": "phuc vu hanh chinh cong",
    "ttpvhcc": "trung tam phuc vu hanh chinh cong",
    "hcc": "hanh chinh cong",
    "ttdt": "thong tin dien tu",
}
_ABBREVIATION_RE = re.compile(
    r"(?<![\w&])(?:" + "|".join(sorted(map(re.escape, _ABBREVIATIONS), key=len, reverse=True)) + r")(?![\w&])"
)

# "UBND các huyện, thị xã, thành phố" and the like: People's Committees of a whole level.
_DISTRICT_WORDS = ("huyen", "thi xa", "thanh pho", "quan")
_COMMUNE_WORDS = ("xa", "phuong", "thi tran", "dac khu")
_LEVEL_GROUPS = {"ubnd-cap-huyen": _DISTRICT_WORDS, "ubnd-cap-xa": _COMMUNE_WORDS}
_LEVEL_TAILS = (" thuoc tinh", " tren dia ban tinh", " trong tinh")

# A close spelling is a slip of the pen or of OCR, not another kind of body at another level: "Phòng
# Giáo dục" is not a misspelt "Sở Giáo dục", nor "Ủy ban MTTQ xã" the province's.
_HEAD_NOUNS = (
    "so",
    "phong",
    "ban",
    "cuc",
    "chi cuc",
    "trung tam",
    "van phong",
    "ubnd",
    "bo",
    "vien",
    "truong",
    "hoi",
    "doan",
    "bao",
    "dai",
    "cong an",
    "kho bac",
    "thanh tra",
)
_LEVEL_NOUNS = re.compile(r"\b(?:tinh|huyen|thi xa|thanh pho|quan|xa|phuong|thi tran|dac khu)\b")

EXACT, CLOSE, NONE = "exact", "close", "none"


def name_key(text: str) -> str:
    """A key that ignores accents, case, punctuation, "Ủy ban nhân dân" written out and abbreviations."""
    key = fold(text).replace("uy ban nhan dan", "ubnd")
    key = _NOISE.sub(" ", key)
    key = " ".join(key.split())
    return _ABBREVIATION_RE.sub(lambda m: _ABBREVIATIONS[m.group(0)], key)


def loose_key(key: str) -> str:
    """``name_key`` without spaces, "và" and "&": "so tt&tt", "so tt tt" and "so tttt" meet."""
    return "".join(word for word in key.replace("&", " ").split() if word != "va")


@dataclass(frozen=True)
class Match:
    unit: Unit | None = None
    group: UnitGroup | None = None
    # exact: a name or alias matched; close: a similar or shared name, to be confirmed by a reviewer;
    # none: nothing in the registry.
    quality: str = EXACT

    @property
    def found(self) -> bool:
        return self.unit is not None or self.group is not None

    @property
    def target(self) -> Unit | UnitGroup | None:
        return self.unit or self.group


class Resolver:
    """Loads the registry valid on a date once, then matches many names without queries.

    ``home`` is the unit whose document is being read (its issuer): "UBND xã" in a commune's plan is
    that commune's committee. It may be set after construction, once the issuer is matched.
    """

    def __init__(self, on: dt.date, province: str = "", home: Unit | None = None):
        self.on = on
        self.province = province
        self.home = home
        self.groups = list(UnitGroup.objects.all())
        units = Unit.objects.valid_on(on)
        self.units = list(units.filter(province=province) if province else units)
        self.exact: dict[str, Unit | UnitGroup] = {}
        self.loose: dict[str, Unit | UnitGroup] = {}
        # Keys that several units bear (two communes of one name): never given silently to one.
        self.shared: set[str] = set()
        # Groups first: a phrase that names a group means the group even where a unit shares it.
        for group in self.groups:
            for name in [group.name, *group.aliases]:
                self._index(name, group)
        for unit in self.units:
            for name in {unit.name, unit.short_name, *unit.aliases}:
                if name:
                    self._index(name, unit)
        self.by_code: dict[str, Unit | UnitGroup] = {g.code: g for g in self.groups}
        self.by_code.update((u.code, u) for u in self.units)
        self._province_words = fold(province).replace("-", " ")
        self._keys = [k for k in self.exact if k not in self.shared]

    def _index(self, name: str, target: Unit | UnitGroup) -> None:
        key = name_key(name)
        for index, k in ((self.exact, key), (self.loose, loose_key(key))):
            held = index.setdefault(k, target)
            if held is not target and isinstance(held, Unit) and isinstance(target, Unit):
                self.shared.add(k)

    def match(self, text: str) -> Match:
        key = name_key(text)
        if not key:
            return Match(quality=NONE)
        variants = self._variants(text, key)
        for index, make in ((self.exact, str), (self.loose, loose_key)):
            for variant in variants:
                hit = index.get(make(variant))
                if hit is not None:
                    return self._wrap(hit, CLOSE if make(variant) in self.shared else EXACT)
        for variant in variants:
            hit = self._level_group(variant) or self._home_committee(variant)
            if hit is not None:
                return self._wrap(hit, EXACT)
        for variant in dict.fromkeys((key, variants[-1])):
            for close in difflib.get_close_matches(variant, self._keys, n=3, cutoff=0.88):
                if _same_kind(variant, close):
                    return self._wrap(self.exact[close], CLOSE)
        return Match(quality=NONE)

    def _variants(self, text: str, key: str) -> list[str]:
        """The key, then the key with the province, brackets and a leading "các" taken off."""
        out = [key]
        bare = name_key(_BRACKETS.sub("", text))
        if bare and bare != key:
            out.append(bare)
        for base in list(out):
            trimmed = base
            if self._province_words:
                trimmed = trimmed.removesuffix(f" {self._province_words}")
            for candidate in (trimmed, trimmed.removesuffix(" tinh")):
                out.append(candidate)
                out.append(candidate.removeprefix("cac "))
        # "Văn phòng UBND" in a province's plan is the office of the provincial committee.
        if key.endswith(" ubnd") and (self.home is None or self.home.kind == UnitKind.PROVINCIAL_COMMITTEE):
            out.append(f"{key} tinh")
        return [v for v in dict.fromkeys(out) if v]

    def _level_group(self, key: str) -> UnitGroup | None:
        """ "UBND các huyện, thành phố" → UBND cấp huyện: a plural of level words, nothing else."""
        words = key.removeprefix("ubnd ")
        for tail in _LEVEL_TAILS:
            words = words.removesuffix(tail)
        plural = words.startswith(("cac ", "cap "))
        if not (plural or key.startswith("ubnd ")):
            return None
        words = words.removeprefix("cac ").removeprefix("cap ")
        for code, level in _LEVEL_GROUPS.items():
            found = _level_words(words, level)
            if found and (plural or found > 1) and isinstance(group := self.by_code.get(code), UnitGroup):
                return group
        return None

    def _home_committee(self, key: str) -> Unit | None:
        """ "UBND xã", "UBND huyện" or just "UBND" in the document of that committee."""
        if self.home is None or not (key == "ubnd" or key.startswith("ubnd ")):
            return None
        home_key = name_key(self.home.name)
        if home_key.startswith("ubnd ") and (key == "ubnd" or home_key.startswith(key + " ")):
            return self.home
        return None

    @staticmethod
    def _wrap(hit, quality: str) -> Match:
        if isinstance(hit, UnitGroup):
            return Match(group=hit, quality=quality)
        return Match(unit=hit, quality=quality)


def _level_words(words: str, level: tuple[str, ...]) -> int:
    """How many level words ("huyện", "thị xã"...) ``words`` lists, or 0 when it holds anything else."""
    count, rest = 0, words
    longest_first = sorted(level, key=len, reverse=True)
    while rest:
        head = next((w for w in longest_first if rest == w or rest.startswith(w + " ")), None)
        if head is None:
            return 0
        count += 1
        rest = rest[len(head) :].strip().removeprefix("va ").strip()
    return count


def _head(key: str) -> str:
    key = key.removeprefix("cac ")
    return next((h for h in sorted(_HEAD_NOUNS, key=len, reverse=True) if key == h or key.startswith(h + " ")), "")


def _same_kind(key: str, other: str) -> bool:
    """Whether a close spelling names the same kind of body at the same level (see _HEAD_NOUNS)."""
    heads = _head(key), _head(other)
    levels = set(_LEVEL_NOUNS.findall(key)), set(_LEVEL_NOUNS.findall(other))
    return (not all(heads) or heads[0] == heads[1]) and (not all(levels) or levels[0] == levels[1])
