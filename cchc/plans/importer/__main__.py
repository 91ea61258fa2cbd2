"""``python -m cchc.plans.importer FILE [--json]``: parse a plan document and print it.

Without --json a short summary is printed for a human; exit status 2 when the file is refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import PlanImportError, parse_plan, plan_to_json


def summary(plan: dict) -> str:
    lines = [
        f"{plan['title']} ({plan['year']})",
        f"  {plan['issuer']} — số {plan['number'] or '…'}/{plan['symbol']}",
        f"  {plan['place']}, {plan['issued_on']}",
        (
            f"  căn cứ: {len(plan['legal_bases'])}, mục đích: {len(plan['objectives'])}, "
            f"yêu cầu: {len(plan['requirements'])}, nội dung: {len(plan['topics'])}, "
            f"hoạt động: {len(plan['activities'])}, nơi nhận: {len(plan['recipients'])}"
        ),
    ]
    for activity in plan["activities"]:
        names = ", ".join(f"{a['name']} ({a['role']})" for a in activity["agencies"])
        lines.append(f"  {activity['number']}. {activity['title'][:70]} — {names} — {activity['period']}")
    lines.extend(f"  ! {w['path']}: {w['message']}" for w in plan["warnings"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cchc.plans.importer", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--json", action="store_true", help="print the cchc.plan/1 JSON")
    args = parser.parse_args(argv)
    try:
        plan = parse_plan(args.file.read_bytes(), args.file.name)
    except PlanImportError as err:
        print(f"{err.message}\n({err.code}: {err.message_en})", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"Không đọc được tệp / cannot read file: {err}", file=sys.stderr)
        return 2
    print(plan_to_json(plan) if args.json else summary(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
