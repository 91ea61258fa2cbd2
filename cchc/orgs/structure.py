"""What the registry of a province should hold on a date, computed without the database.

Provincial agencies come from the demo CSV files in ``data/`` (a real deployment imports its own);
districts and communes come from the ``vietnam-provinces`` package: its legacy (pre-2025) units for
dates before the two-tier reform of 1 July 2025, its current units and conversion tables after.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from cchc.lib.text import fold

REFORM_DAY = dt.date(2025, 7, 1)
DATA_DIR = Path(__file__).parent / "data"
PROVINCE_COMMITTEE_CODE = "ubnd-tinh"


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: str
    short_name: str = ""
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)
    admin_code: int | None = None
    division_type: str = ""
    valid_from: dt.date | None = None
    # Set only for units the load knows to have ended (legacy predecessors after the reform).
    valid_to: dt.date | None = None
    province: str = ""
    remit: list[str] = field(default_factory=list)
    # Where the unit is, to tell it from a namesake (``Unit.context``): see ``place_of``.
    context: str = ""
    # (predecessor code, partial, effective date)
    predecessors: list[tuple[str, bool, dt.date]] = field(default_factory=list)


class UnknownProvince(ValueError):
    pass


def committee_name(division_name: str) -> str:
    """ "Huyện Chư Păh" → "UBND huyện Chư Păh", as official documents write it."""
    return "UBND " + division_name[:1].lower() + division_name[1:]


def place_of(division_name: str) -> str:
    """ "Thành phố Pleiku" → "thành phố Pleiku": a division's name as it follows another in a sentence."""
    return division_name[:1].lower() + division_name[1:]


def committee_aliases(division_name: str) -> list[str]:
    lowered = division_name[:1].lower() + division_name[1:]
    return [f"Ủy ban nhân dân {lowered}", division_name]


def abbreviations(name: str) -> list[str]:
    """Abbreviations officials write for an agency: "Sở Thông tin và Truyền thông" → "Sở TT&TT"."""
    out: list[str] = []
    if "Ủy ban nhân dân" in name:
        out.append(name.replace("Ủy ban nhân dân", "UBND"))
    for prefix in ("Sở ", "Ban "):
        if not name.startswith(prefix):
            continue
        rest = name[len(prefix) :].replace(",", " và ").replace(" - ", " và ")
        parts = [p.strip() for p in rest.split(" và ") if p.strip()]
        if len(parts) < 2:
            continue
        initials = ["".join(w[0].upper() for w in p.split()) for p in parts]
        out += [prefix + "&".join(initials), prefix + "".join(initials)]
    return out


def _agency_file(province: str, as_of: dt.date) -> Path | None:
    year = "2025" if as_of >= REFORM_DAY else "2024"
    path = DATA_DIR / f"{fold(province).replace(' ', '-')}-{year}-provincial-agencies.csv"
    return path if path.exists() else None


def _parse_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def provincial_agencies(province: str, as_of: dt.date) -> list[UnitSpec]:
    path = _agency_file(province, as_of)
    if path is None:
        return [
            UnitSpec(
                PROVINCE_COMMITTEE_CODE,
                f"Ủy ban nhân dân tỉnh {province}",
                "provincial_committee",
                short_name="UBND tỉnh",
            )
        ]
    specs = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            kind = row["kind"]
            parent = None
            if kind in {"department", "press", "public_service", "service_center"}:
                parent = "vp-ubnd" if kind == "service_center" else PROVINCE_COMMITTEE_CODE
            valid_from = _parse_date(row.get("valid_from"))
            preds = []
            # "code@date", or "code@date:partial" when the unit took over only part of the work.
            for item in (row.get("predecessors") or "").split(";"):
                item, _, flag = item.partition(":")
                code, _, day = item.partition("@")
                if code:
                    preds.append((code, flag == "partial", _parse_date(day) or valid_from or as_of))
            aliases = [row["short_name"], *abbreviations(row["name"])]
            specs.append(
                UnitSpec(
                    code=row["code"],
                    name=row["name"],
                    kind=kind,
                    short_name=row["short_name"],
                    parent=parent if row["code"] != PROVINCE_COMMITTEE_CODE else None,
                    aliases=sorted({a for a in aliases if a and a != row["name"]}),
                    valid_from=valid_from,
                    predecessors=preds,
                    remit=[word.strip() for word in (row.get("remit") or "").split(";") if word.strip()],
                )
            )
    return specs


def _legacy_province(province: str):
    from vietnam_provinces.legacy import Province as LegacyProvince

    wanted = fold(province)
    for item in LegacyProvince.iter_all():
        if fold(item.name).removeprefix("tinh ").removeprefix("thanh pho ") == wanted:
            return item
    raise UnknownProvince(f"Không tìm thấy tỉnh/thành phố “{province}” trong danh mục trước 2025")


def _current_province(province: str):
    from vietnam_provinces import Province

    wanted = fold(province)
    for item in Province.iter_all():
        if fold(item.name).removeprefix("tinh ").removeprefix("thanh pho ") == wanted:
            return item
    raise UnknownProvince(f"Không tìm thấy tỉnh/thành phố “{province}” trong danh mục từ 01/07/2025")


def legacy_local_units(
    province_code: int, parent: str, valid_to: dt.date | None, *, home: bool = True
) -> list[UnitSpec]:
    """Districts and communes of a pre-2025 province, as People's Committees. A commune is placed by its district,
    and also by its province when that is not the registry's own (``home``): a neighbour merged into it."""
    from vietnam_provinces.legacy import District, Province, Ward

    province = Province.from_code(province_code)
    slug = province_slug(province.name)
    province_place = "" if home else place_of(province.name)
    district_places = {}
    specs = []
    for district in District.iter_all():
        if district.province_code != province_code:
            continue
        district_places[int(district.code)] = ", ".join(p for p in (place_of(district.name), province_place) if p)
        specs.append(
            UnitSpec(
                code=f"huyen-{int(district.code)}",
                name=committee_name(district.name),
                kind="district_committee",
                parent=parent,
                aliases=committee_aliases(district.name),
                admin_code=int(district.code),
                division_type=str(district.division_type),
                valid_to=valid_to,
                province=slug,
                context=province_place,
            )
        )
    for ward in Ward.iter_all():
        if ward.province_code != province_code:
            continue
        specs.append(
            UnitSpec(
                code=f"xa-{int(ward.code)}",
                name=committee_name(ward.name),
                kind="commune_committee",
                parent=f"huyen-{int(ward.district_code)}",
                aliases=committee_aliases(ward.name),
                admin_code=int(ward.code),
                division_type=str(ward.division_type),
                valid_to=valid_to,
                province=slug,
                context=district_places.get(int(ward.district_code), province_place),
            )
        )
    return specs


def province_slug(name: str) -> str:
    return fold(name).removeprefix("tinh ").removeprefix("thanh pho ").replace(" ", "-")


def structure(province: str, as_of: dt.date) -> list[UnitSpec]:
    """Every unit the registry must hold for ``province`` as of ``as_of``, parents first."""
    specs = provincial_agencies(province, as_of)
    if as_of < REFORM_DAY:
        home = _legacy_province(province)
        specs += legacy_local_units(int(home.code), PROVINCE_COMMITTEE_CODE, None)
    else:
        specs += _two_tier_units(province)
    own = province_slug(province)
    for spec in specs:
        spec.province = spec.province or own
    return specs


def _two_tier_units(province: str) -> list[UnitSpec]:
    from vietnam_provinces import Ward
    from vietnam_provinces.legacy import Province as LegacyProvince

    current = _current_province(province)
    home = _legacy_province(province)
    closed_on = REFORM_DAY - dt.timedelta(days=1)
    new_wards = list(Ward.iter_by_province(current.code))
    sources = {ward.code: ward.get_legacy_sources() for ward in new_wards}
    legacy_codes = sorted({int(s.province_code) for srcs in sources.values() for s in srcs} | {int(home.code)})

    specs: list[UnitSpec] = []
    # The districts and communes that preceded the reform stay in the registry, closed on 30/06/2025.
    for code in legacy_codes:
        if code == int(home.code):
            parent = PROVINCE_COMMITTEE_CODE
        else:
            old = LegacyProvince.from_code(code)
            parent = f"ubnd-{old.codename.replace('_', '-')}"
            specs.append(
                UnitSpec(
                    code=parent,
                    name=committee_name(old.name),
                    kind="provincial_committee",
                    aliases=committee_aliases(old.name),
                    admin_code=code,
                    valid_to=closed_on,
                    division_type=str(old.division_type),
                    province=province_slug(old.name),
                )
            )
        specs += legacy_local_units(code, parent, closed_on, home=code == int(home.code))
    for ward in new_wards:
        spec = UnitSpec(
            code=f"xa2025-{int(ward.code)}",
            name=committee_name(ward.name),
            kind="commune_committee",
            parent=PROVINCE_COMMITTEE_CODE,
            aliases=committee_aliases(ward.name),
            admin_code=int(ward.code),
            division_type=str(ward.division_type),
            valid_from=REFORM_DAY,
            context=place_of(current.name),
        )
        spec.predecessors = [(f"xa-{int(s.code)}", False, REFORM_DAY) for s in sources[ward.code]]
        specs.append(spec)
    # The other provinces' committees that merged into this one.
    for spec in specs:
        if spec.kind == "provincial_committee" and spec.code != PROVINCE_COMMITTEE_CODE:
            for head in specs:
                if head.code == PROVINCE_COMMITTEE_CODE:
                    head.predecessors.append((spec.code, False, REFORM_DAY))
    return specs
