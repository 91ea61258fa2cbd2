"""Plans created before their periods came from the plan actions get their calendar and periods now
(pages no longer create them on a GET)."""

from django.db import migrations

from cchc.lib import periods as lib_periods


def create_missing(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    Calendar = apps.get_model("reports", "ReportingCalendar")
    Period = apps.get_model("reports", "Period")
    for plan in Plan.objects.filter(periods__isnull=True).distinct():
        calendar, _created = Calendar.objects.get_or_create(plan=plan)
        rules = lib_periods.Rules(
            cutoff_day=calendar.cutoff_day,
            due_day=calendar.due_day,
            province_due_day=calendar.province_due_day,
            extra_kinds=tuple(calendar.extra_kinds or ()),
            shift_to_working_day=calendar.shift_to_working_day,
        )
        Period.objects.bulk_create(
            [
                Period(
                    plan=plan,
                    code=spec.code,
                    kind=spec.kind,
                    start=spec.start,
                    end=spec.end,
                    nominal_due_on=spec.due.nominal,
                    due_on=spec.due.effective,
                    nominal_province_due_on=spec.province_due.nominal,
                    province_due_on=spec.province_due.effective,
                )
                for spec in lib_periods.periods_for_year(plan.year, rules)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_versioned_lock"), ("plans", "0004_versioned_lock")]

    operations = [migrations.RunPython(create_missing, migrations.RunPython.noop)]
