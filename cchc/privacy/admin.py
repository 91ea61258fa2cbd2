"""Read-only in the admin: the registers change through their pages (cchc.privacy.actions), which audit each step."""

from django.contrib import admin

from cchc.privacy.models import ConsentRecord, DataSubjectRequest, Incident


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "status", "received_on", "due_on", "completed_on"]
    list_filter = ["kind", "status"]
    search_fields = ["code"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "severity", "status", "detected_at", "personal_data_involved"]
    list_filter = ["severity", "status", "personal_data_involved"]
    search_fields = ["code", "title"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    """A consent is evidence of what the person agreed to; it is withdrawn, never edited."""

    list_display = ["purpose", "subject_type", "subject_id", "given_at", "withdrawn_at"]
    list_filter = ["purpose"]
