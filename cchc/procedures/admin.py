from django.contrib import admin

from cchc.procedures.models import Procedure


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    """Read-only: the catalogue changes only through ``cchc import_procedures`` (audited, all or
    nothing, kept in sync with the search index)."""

    list_display = ["code", "name", "field", "status", "changed_at"]
    list_filter = ["status", "online_level"]
    search_fields = ["code"]
    readonly_fields = [f.name for f in Procedure._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
