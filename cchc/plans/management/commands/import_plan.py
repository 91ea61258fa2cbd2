"""``cchc import_plan FILE``: read a plan document (.docx, .md, .txt, .pdf) and save it as a draft plan.

    cchc import_plan FILE --dry-run --json   the cchc.plan/1 structure, saving nothing (what plan-score reads)
    cchc import_plan FILE --dry-run          a summary for a person, with the registry matches
    cchc import_plan FILE [--json]           save as a draft plan with its activities and obligations
    cchc import_plan FILE --update           the same document imported before: update that draft

Exit status: 0 done; 1 not saved (already imported, or the plan lacks its year or title); 2 the file is
refused (not a readable plan: the message says what to do instead).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import DatabaseError, transaction
from django.urls import reverse

from cchc.plans.actions import DuplicatePlan, do_confirm_import, do_start_import
from cchc.plans.importer import PlanImportError, read_plan
from cchc.plans.importer import plan_to_json as to_json
from cchc.plans.importer.__main__ import summary
from cchc.plans.imports import agency_lists, annotate_matches, plan_resolver, review_counts
from cchc.plans.management.lookups import get_actor
from cchc.plans.models import Obligation, PlanStatus

REFUSED, NOT_SAVED = 2, 1


class Command(BaseCommand):
    help = "Nhập một văn bản kế hoạch (.docx, .md, .txt, .pdf) thành kế hoạch dự thảo. Import a plan document."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Đọc và in ra, không lưu. Parse only, save nothing.")
        parser.add_argument("--json", action="store_true", help="In JSON. Print JSON.")
        parser.add_argument(
            "--update",
            action="store_true",
            help="Nếu văn bản đã được nhập thành dự thảo, cập nhật dự thảo đó. "
            "Update the draft this document was imported as before.",
        )
        parser.add_argument("--user", help="Tên đăng nhập ghi vào nhật ký. Username to record in the audit log.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as err:
            self._fail(REFUSED, f"Không đọc được tệp {path}: {err.strerror}.", f"Cannot read {path}: {err.strerror}.")
        if options["dry_run"]:
            self._dry_run(data, path.name, as_json=options["json"])
            return
        actor = get_actor(options["user"])
        stored = None
        try:
            with transaction.atomic():
                session = do_start_import(data, path.name, actor=actor)
                stored = session.original
                plan, updated = do_confirm_import(session, actor=actor, update_existing=options["update"])
        except PlanImportError as err:
            self._fail(REFUSED, err.message, f"{err.message_en} ({err.code})")
        except DuplicatePlan as err:
            stored.delete(save=False)
            if err.plan.status == PlanStatus.DRAFT:
                self._fail(
                    NOT_SAVED,
                    f"{err.message}\nChạy lại với --update để cập nhật dự thảo (kế hoạch #{err.plan.pk}).",
                    f"Already imported as draft plan #{err.plan.pk}; run again with --update to update it.",
                )
            self._fail(
                NOT_SAVED,
                err.message,
                f"Already imported as plan #{err.plan.pk}, which is no longer a draft; nothing saved.",
            )
        except ValidationError as err:
            if stored is not None:
                stored.delete(save=False)
            self._fail(NOT_SAVED, " ".join(err.messages), "The plan was not saved.")
        self._report(plan, session, updated=updated, as_json=options["json"])

    def _dry_run(self, data: bytes, name: str, *, as_json: bool) -> None:
        try:
            parsed = read_plan(data, name)
        except PlanImportError as err:
            self._fail(REFUSED, err.message, f"{err.message_en} ({err.code})")
        if as_json:
            # Exactly the importer's structure, with no database involved: what plan-score reads.
            self.stdout.write(to_json(parsed.plan))
            return
        self.stdout.write(summary(parsed.plan))
        self.stdout.write(self._matches(parsed.plan))

    def _matches(self, document: dict) -> str:
        """How the agencies would match the registry (a dry run changes nothing)."""
        if not document.get("year"):
            return "Chưa xác định được năm của kế hoạch: chưa đối chiếu danh mục đơn vị."
        try:
            resolver, issuer = plan_resolver(document["year"], document.get("issuer"))
            annotate_matches(document, resolver)
        except DatabaseError:
            return "Chưa có danh mục đơn vị (cơ sở dữ liệu chưa sẵn sàng): bỏ qua đối chiếu."
        lines = [
            f"Đối chiếu danh mục đơn vị năm {document['year']}:",
            f"  cơ quan ban hành: {issuer.target or '— chưa khớp'}",
        ]
        seen = set()
        for agencies in agency_lists(document):
            for agency in agencies:
                if agency["name"] in seen:
                    continue
                seen.add(agency["name"])
                target = resolver.by_code.get(agency["unit"] or agency["group"] or "")
                lines.append(f"  [{agency['match']:5}] {agency['name']} → {target or '—'}")
        counts = review_counts(document)
        lines.append(
            f"  chưa khớp: {counts['unmatched']}, khớp gần đúng: {counts['close']}, cảnh báo: {counts['warnings']}"
        )
        return "\n".join(lines)

    def _report(self, plan, session, *, updated: bool, as_json: bool) -> None:
        counts = review_counts(session.document)
        activities = plan.activities.count()
        obligations = Obligation.objects.filter(activity__plan=plan).count()
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "plan": plan.pk,
                        "import": session.pk,
                        "status": plan.status,
                        "updated": updated,
                        "activities": activities,
                        "obligations": obligations,
                        "agencies_unmatched": counts["unmatched"],
                        "agencies_close": counts["close"],
                        "warnings": counts["warnings"],
                    },
                    ensure_ascii=False,
                )
            )
            return
        verb = "Đã cập nhật" if updated else "Đã lưu"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} kế hoạch dự thảo #{plan.pk} “{plan.title}”: {activities} hoạt động, {obligations} nghĩa vụ."
            )
        )
        review = reverse("plans:import_review", args=[session.pk])
        self.stdout.write(
            f"Cần rà soát: {counts['unmatched']} cơ quan chưa khớp danh mục, {counts['close']} khớp "
            f"gần đúng, {counts['warnings']} cảnh báo (xem {review})."
        )

    def _fail(self, status: int, message: str, message_en: str) -> None:
        self.stderr.write(f"{message}\n{message_en}")
        sys.exit(status)
