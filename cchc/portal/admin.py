from django.contrib import admin

from cchc.portal.models import AgencyContact, CchcMessage, NewsCategory, NewsPost, ReceiptBackPage


@admin.register(NewsCategory)
class NewsCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CchcMessage)
class CchcMessageAdmin(admin.ModelAdmin):
    list_display = ["text", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(NewsPost)
class NewsPostAdmin(admin.ModelAdmin):
    """Read-only here: posts are written and published through the editors' pages (actions)."""

    list_display = ["title", "unit", "category", "status", "published_at"]
    list_filter = ["status", "category"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in NewsPost._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AgencyContact)
class AgencyContactAdmin(admin.ModelAdmin):
    list_display = ["unit", "hotline", "phone", "email", "updated_at"]
    search_fields = ["unit__name"]
    readonly_fields = [f.name for f in AgencyContact._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ReceiptBackPage)
class ReceiptBackPageAdmin(admin.ModelAdmin):
    list_display = ["unit", "paper", "updated_at"]
    readonly_fields = ["unit", "paper", "title", "own_message", "updated_at", "updated_by", "version"]

    def has_add_permission(self, request):
        return False
