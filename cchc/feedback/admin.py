from django.contrib import admin

from cchc.feedback.models import (
    ApiClient,
    Feedback,
    FeedbackAttachment,
    FeedbackNote,
    FeedbackReminder,
    SatisfactionRating,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Feedback changes go through the desk's pages (cchc.feedback.actions), which audit them; the admin only
    looks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = FeedbackAttachment
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    extra = 0


class NoteInline(admin.TabularInline):
    model = FeedbackNote
    fields = ["created_at", "author", "text"]
    readonly_fields = fields
    extra = 0


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["code", "subject", "status", "channel", "assigned_unit", "received_at", "due_on"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["code", "subject"]
    inlines = [AttachmentInline, NoteInline]


@admin.register(FeedbackReminder)
class FeedbackReminderAdmin(ReadOnlyAdmin):
    list_display = ["feedback", "stage", "kind", "due_on", "scope", "sent_at"]


@admin.register(SatisfactionRating)
class SatisfactionRatingAdmin(ReadOnlyAdmin):
    list_display = ["unit", "rated_on", "source", "overall"]
    list_filter = ["source"]


@admin.register(ApiClient)
class ApiClientAdmin(ReadOnlyAdmin):
    """Keys are issued and revoked with ``cchc issue_api_key`` (audited); the admin only lists them."""

    list_display = ["name", "rate_count", "rate_seconds", "is_active", "created_at", "created_by", "revoked_at"]
    exclude = ["key_hash"]
