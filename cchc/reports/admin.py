from django.contrib import admin

from cchc.reports.models import (
    Notification,
    Period,
    ProvinceReport,
    ReminderDispatch,
    Report,
    ReportingCalendar,
    ReportVersion,
)


@admin.register(ReportingCalendar)
class ReportingCalendarAdmin(admin.ModelAdmin):
    list_display = ["plan", "cutoff_day", "due_day", "province_due_day", "extra_kinds", "shift_to_working_day"]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "plan", "start", "end", "due_on", "province_due_on"]
    list_filter = ["kind"]
    # Periods follow from the calendar (do_ensure_periods); edit the calendar instead.
    readonly_fields = [f.name for f in Period._meta.fields]

    def has_add_permission(self, request):
        return False


class VersionInline(admin.TabularInline):
    model = ReportVersion
    fields = ["number", "submitted_at", "submitted_by_label", "outcome", "outcome_reason", "reviewed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: reports change only through the workflow (actions), which audits every step."""

    list_display = ["unit", "period", "status", "first_submitted_on", "submission_count"]
    list_filter = ["status", "period__code"]
    search_fields = ["unit__name", "unit__code"]
    inlines = [VersionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProvinceReport)
class ProvinceReportAdmin(admin.ModelAdmin):
    list_display = ["period", "status", "issued_at"]
    exclude = ["figures"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderDispatch)
class ReminderDispatchAdmin(admin.ModelAdmin):
    list_display = ["report", "stage", "claimed_at", "sent_at", "error"]
    list_filter = ["stage"]
    readonly_fields = ["report", "stage", "claimed_at", "claimed_by", "sent_at", "recipients", "error"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "message", "created_at", "read_at"]
