from django.contrib import admin

from cchc.orgs.models import Succession, Unit, UnitGroup


class SuccessionInline(admin.TabularInline):
    model = Succession
    fk_name = "successor"
    autocomplete_fields = ["predecessor"]
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "short_name", "search_key"]
    autocomplete_fields = ["parent"]
    inlines = [SuccessionInline]


@admin.register(UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kinds"]
    search_fields = ["code", "name"]
