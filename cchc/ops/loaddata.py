"""A generated province-scale data set for benchmarks (``cchc generate_load_data``).

One province of the 2024 size by default (the provincial committee, the 36 departments and agencies
of the 2024 demo list, 17 districts, 218 communes), each with Gia Lai's 2024 plan resolved against its own
registry, the obligations the plan creates, an officer and a head per unit, and recorded results.
``--provinces 34`` makes all 34 provinces of 2025 under one installation.

Every step is a function ``step(ctx) -> dict`` in ``STEPS``; a feature that needs data for its
benchmark (deliverables, reports, procedures, feedback) adds its own step at the end of the list.
Rows are written with ``bulk_create`` and no audit entries: this is test data, never a real province's.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test.utils import override_settings

from cchc.accounts.models import Role, User
from cchc.execution.models import Result, ResultKind
from cchc.lib.text import fold
from cchc.orgs.actions import do_ensure_groups
from cchc.orgs.models import Unit, UnitKind
from cchc.orgs.structure import DATA_DIR, abbreviations, province_slug
from cchc.plans.actions import do_create_plan
from cchc.plans.models import Obligation, Plan, PlanStatus

# Gia Lai's 2024 plan (cchc.plan/1), the same document the demo loads.
PLAN_FILE = Path(__file__).resolve().parents[1] / "plans" / "data" / "gia-lai-2024.plan.json"
LOAD_PASSWORD = "cchc-load-data"  # noqa: S105 - generated benchmark accounts, never a real database
BATCH = 5000

# The 34 provinces and cities of 1 July 2025 (vietnam-provinces), the configured one first.
_SYLLABLES = [
    "Ia",
    "Chư",
    "Đak",
    "Krông",
    "Kon",
    "Mang",
    "Phú",
    "Đức",
    "An",
    "Kbang",
    "Pơ",
    "Hà",
    "Lơ",
    "Sê",
    "Yang",
    "Nhơn",
    "Tây",
    "Bình",
    "Hòa",
    "Tân",
    "Thuận",
    "Mơ",
    "Rơ",
    "Grai",
    "Pa",
    "Ayun",
    "Glar",
    "Dơk",
    "Bar",
    "Măng",
    "Hneng",
    "Pếch",
    "Tơ",
    "Kdang",
    "Blang",
    "Lâu",
    "Vân",
    "Nghĩa",
]


def province_names(count: int) -> list[str]:
    from vietnam_provinces import Province

    names = [p.name.removeprefix("Tỉnh ").removeprefix("Thành phố ") for p in Province.iter_all()]
    first = settings.CCHC_PROVINCE
    ordered = [first] + [n for n in names if n != first]
    if count > len(ordered):
        raise ValueError(f"At most {len(ordered)} provinces")
    return ordered[:count]


@dataclass
class Options:
    provinces: int = 1
    departments: int = 36  # the whole 2024 demo list: 19 departments, 9 sector agencies, press, ...
    districts: int = 17
    communes: int = 218
    results_per_obligation: int = 3
    year: int = 2024
    seed: int = 2024


@dataclass
class ProvinceData:
    name: str
    slug: str
    committee: Unit
    plan: Plan | None = None
    units: list[Unit] = field(default_factory=list)


@dataclass
class LoadContext:
    options: Options
    rng: random.Random
    password_hash: str
    provinces: list[ProvinceData] = field(default_factory=list)


def _unit(
    code: str,
    name: str,
    kind: str,
    slug: str,
    parent: Unit | None = None,
    short_name: str = "",
    aliases: list[str] | None = None,
) -> Unit:
    return Unit(
        code=code,
        name=name,
        kind=kind,
        province=slug,
        parent=parent,
        short_name=short_name,
        aliases=aliases or [],
        search_key=fold(name),
    )


def _place_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(_SYLLABLES)} {rng.choice(_SYLLABLES)}"
        if name not in used:
            used.add(name)
            return name
        if len(used) > len(_SYLLABLES) ** 2 // 2:
            name = f"{name} {len(used)}"
            used.add(name)
            return name


def step_registry(ctx: LoadContext) -> dict:
    do_ensure_groups()
    with open(DATA_DIR / "gia-lai-2024-provincial-agencies.csv", encoding="utf-8") as fh:
        agencies = [row for row in csv.DictReader(fh) if row["kind"] != UnitKind.PROVINCIAL_COMMITTEE]
    opts, rng = ctx.options, ctx.rng
    count = 0
    for name in province_names(opts.provinces):
        slug = province_slug(name)
        level = (
            "thành phố"
            if name
            in {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Quảng Ninh", "Bắc Ninh", "Đồng Nai"}
            else "tỉnh"
        )
        committee = _unit(
            f"{slug}-ubnd",
            f"Ủy ban nhân dân {level} {name}",
            UnitKind.PROVINCIAL_COMMITTEE,
            slug,
            short_name=f"UBND {level}",
            aliases=[f"UBND {level} {name}"],
        )
        committee.save()
        data = ProvinceData(name=name, slug=slug, committee=committee)
        units = []
        for i in range(opts.departments):
            row = (
                agencies[i]
                if i < len(agencies)
                else {
                    "code": f"ban-{i}",
                    "name": f"Ban chuyên đề số {i + 1}",
                    "short_name": "",
                    "kind": UnitKind.DEPARTMENT,
                }
            )
            units.append(
                _unit(
                    f"{slug}-{row['code']}",
                    row["name"],
                    row["kind"],
                    slug,
                    parent=committee,
                    short_name=row["short_name"],
                    aliases=abbreviations(row["name"]),
                )
            )
        Unit.objects.bulk_create(units)
        used: set[str] = set()
        districts = [
            _unit(
                f"{slug}-h{i:02d}",
                f"UBND huyện {_place_name(rng, used)}",
                UnitKind.DISTRICT_COMMITTEE,
                slug,
                parent=committee,
            )
            for i in range(1, opts.districts + 1)
        ]
        Unit.objects.bulk_create(districts)
        communes = []
        for j in range(1, opts.communes + 1):
            parent = districts[(j - 1) % len(districts)] if districts else committee
            communes.append(
                _unit(
                    f"{slug}-x{j:04d}",
                    f"UBND xã {_place_name(rng, used)}",
                    UnitKind.COMMUNE_COMMITTEE,
                    slug,
                    parent=parent,
                )
            )
        Unit.objects.bulk_create(communes)
        data.units = [committee, *units, *districts, *communes]
        count += len(data.units)
        ctx.provinces.append(data)
    return {"units": count}


def step_users(ctx: LoadContext) -> dict:
    """An officer and a head per unit, and the province-wide roles, all with LOAD_PASSWORD."""
    users = []
    for data in ctx.provinces:
        for role in (Role.COORDINATOR, Role.OBSERVER):
            users.append(
                User(
                    username=f"{data.slug}-{role}",
                    role=role,
                    unit=data.committee,
                    full_name=f"{Role(role).label} {data.name}",
                    password=ctx.password_hash,
                )
            )
        for unit in data.units[1:]:
            for role in (Role.OFFICER, Role.HEAD):
                users.append(
                    User(
                        username=f"{unit.code}-{role}",
                        role=role,
                        unit=unit,
                        full_name=f"{Role(role).label} {unit.name}"[:150],
                        password=ctx.password_hash,
                    )
                )
    User.objects.bulk_create(users, batch_size=BATCH)
    return {"users": len(users)}


def step_plans(ctx: LoadContext) -> dict:
    document = json.loads(PLAN_FILE.read_text(encoding="utf-8"))
    obligations = 0
    for data in ctx.provinces:
        doc = {**document, "year": ctx.options.year, "issuer": data.committee.aliases[0], "place": data.name}
        # The plan resolves its agencies in the province named by its issuer; until the issuer is
        # matched, do_create_plan reads the installation's province from settings.
        with override_settings(CCHC_PROVINCE=data.name):
            data.plan = do_create_plan(doc, status=PlanStatus.ACTIVE)
        obligations += Obligation.objects.filter(activity__plan=data.plan).count()
    return {"plans": len(ctx.provinces), "obligations": obligations}


_RESULT_UNITS = {
    ResultKind.NEWS_ARTICLE: "tin, bài",
    ResultKind.BROADCAST: "chuyên mục",
    ResultKind.TRAINING: "lớp",
    ResultKind.CONFERENCE: "hội nghị",
    ResultKind.POSTER: "pa nô",
    ResultKind.LEAFLET: "tờ",
}


def step_results(ctx: LoadContext) -> dict:
    rng, per = ctx.rng, ctx.options.results_per_obligation
    start = dt.date(ctx.options.year, 1, 1)
    kinds = list(ResultKind)
    total = 0
    batch: list[Result] = []
    rows = Obligation.objects.filter(activity__plan__in=[d.plan for d in ctx.provinces]).values_list("pk", "unit_id")
    for obligation_id, unit_id in rows.iterator(chunk_size=BATCH):
        for k in range(per):
            kind = rng.choice(kinds)
            batch.append(
                Result(
                    unit_id=unit_id,
                    obligation_id=obligation_id,
                    kind=kind,
                    title=f"{kind.label} số {k + 1}",
                    occurred_on=start + dt.timedelta(days=rng.randrange(365)),
                    quantity=Decimal(rng.randint(1, 5)),
                    quantity_unit=_RESULT_UNITS.get(kind, ""),
                    reach=rng.randint(10, 2000),
                    cost=Decimal(rng.randrange(0, 20_000_000, 100_000)),
                    is_public=rng.random() < 0.4,
                    audiences=["citizens"],
                )
            )
        if len(batch) >= BATCH:
            Result.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    Result.objects.bulk_create(batch)
    return {"results": total + len(batch)}


def step_reports(ctx: LoadContext) -> dict:
    from cchc.reports.loaddata import step_reports as reports

    return reports(ctx)


STEPS: list[Callable[[LoadContext], dict]] = [step_registry, step_users, step_plans, step_results, step_reports]


def generate(options: Options, *, log: Callable[[str], None] = lambda _: None) -> dict:
    import time

    ctx = LoadContext(options=options, rng=random.Random(options.seed), password_hash=make_password(LOAD_PASSWORD))
    summary: dict = {"options": vars(options), "steps": {}}
    for step in STEPS:
        began = time.perf_counter()
        counts = step(ctx)
        summary["steps"][step.__name__] = {**counts, "seconds": round(time.perf_counter() - began, 2)}
        log(f"{step.__name__}: {counts} ({summary['steps'][step.__name__]['seconds']} s)")
    summary["provinces"] = [
        {"name": d.name, "slug": d.slug, "plan": d.plan.pk if d.plan else None} for d in ctx.provinces
    ]
    return summary
