"""Generate (or bring up to date) the dated deliverables of plans' recurring activities."""

from django.core.management.base import BaseCommand, CommandError

from cchc.execution.actions import do_generate_deliverables
from cchc.plans.models import Plan, PlanStatus


class Command(BaseCommand):
    help = (
        "Sinh các sản phẩm định kỳ (hằng tháng, hằng quý...) cho đơn vị có nghĩa vụ; chạy lại an toàn. "
        "Generate the deliverables of recurring activities; safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, action="append", help="Plan id (repeatable); default: active plans.")

    def handle(self, *args, **options):
        plans = (
            Plan.objects.filter(pk__in=options["plan"])
            if options["plan"]
            else Plan.objects.filter(status=PlanStatus.ACTIVE)
        )
        if options["plan"] and plans.count() != len(set(options["plan"])):
            missing = sorted(set(options["plan"]) - set(plans.values_list("pk", flat=True)))
            raise CommandError(f"Không tìm thấy kế hoạch: {missing}")
        for plan in plans.order_by("pk"):
            summary = do_generate_deliverables(plan)
            self.stdout.write(
                f"{plan.pk} {plan.reference} {plan.year}: +{summary.created} ~{summary.updated} "
                f"-{summary.removed} ={summary.kept} (kết quả gắn thêm: {summary.attached_results})"
            )
