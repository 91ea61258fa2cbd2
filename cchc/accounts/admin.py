from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from cchc.accounts.actions import do_remove_mfa
from cchc.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "unit__kind"]
    search_fields = ["username", "full_name", "email", "unit__name"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["password_changed_at", "last_login", "date_joined"]
    actions = ["remove_mfa"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Vai trò trong cchc"), {"fields": ["role", "unit", "full_name", "position", "password_changed_at"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Vai trò trong cchc"), {"fields": ["role", "unit", "full_name"]}),
    ]

    @admin.action(description=_("Gỡ xác thực hai lớp (người dùng mất điện thoại)"))
    def remove_mfa(self, request, queryset):
        for user in queryset:
            do_remove_mfa(user, actor=request.user)
        self.message_user(
            request,
            _("Đã gỡ xác thực hai lớp của %(n)d tài khoản; họ sẽ phải thiết lập lại khi đăng nhập.")
            % {"n": queryset.count()},
            messages.SUCCESS,
        )
