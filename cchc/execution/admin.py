"""Read-only admin views: execution data changes only through the actions (and so the audit log)."""

from django.contrib import admin

from cchc.execution.models import Deliverable, Evidence, Result, ResultImport, SubPlan, SubPlanItem


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyAdmin):
    list_display = ["obligation", "slot", "label", "due_on", "target_quantity", "achieved_quantity", "met_on"]
    list_filter = ["obligation__activity__plan"]
    list_select_related = ["obligation__unit", "obligation__activity"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["original_name", "link", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "title", "unit", "kind", "quantity", "cost", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit"]
    inlines = [EvidenceInline]


@admin.register(ResultImport)
class ResultImportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "unit", "original_name", "row_count", "created_by"]
    list_select_related = ["unit", "created_by"]


class SubPlanItemInline(admin.TabularInline):
    model = SubPlanItem
    fields = ["title", "is_own", "period_start", "period_end", "recurrence_every", "target_quantity", "target_unit"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubPlan)
class SubPlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "plan", "status", "updated_at"]
    list_filter = ["status", "plan"]
    list_select_related = ["unit", "plan"]
    inlines = [SubPlanItemInline]
