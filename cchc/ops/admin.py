from django.contrib import admin

from cchc.ops.models import ScheduledRun


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ["name", "slot", "status", "host", "attempts", "started_at", "finished_at"]
    list_filter = ["status", "name"]
    search_fields = ["name", "slot", "host"]
    readonly_fields = [f.name for f in ScheduledRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
