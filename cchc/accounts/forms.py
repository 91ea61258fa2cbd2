from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import GLOBAL_ROLES, User
from cchc.lib.text import fold
from cchc.orgs.models import Unit


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống."),
    }


class TokenForm(forms.Form):
    """The 6-digit code from the authenticator app."""

    token = forms.CharField(
        label=_("Mã xác thực 6 chữ số"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "pattern": "[0-9 ]*"}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not (token.isascii() and token.isdigit()):  # "²²²²²²" is digits to isdigit(), not to int()
            raise forms.ValidationError(_("Mã xác thực chỉ gồm chữ số."))
        return token


# --- The administrator's user management --------------------------------------------------------------

UNIT_RESULTS = 15


def units_matching(query: str, *, limit: int = UNIT_RESULTS) -> list:
    """Units in force today whose name (accents and case ignored) holds every word of ``query``, or whose
    code starts with it: the unit search box of the account form, instead of a list of 150–300 units."""
    words = fold(query).split()
    if not words:
        return []
    units = Unit.objects.valid_on(timezone.localdate()).select_related("parent")
    match = Q(code__istartswith=query.strip())
    by_name = Q()
    for word in words:
        by_name &= Q(search_key__contains=word)
    return list(units.filter(match | by_name).order_by("kind", "name")[:limit])


class UserForm(forms.ModelForm):
    """An account's details as the administrator sets them; the unit comes from the search box (its code)."""

    unit = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=None,
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": _("Không tìm thấy đơn vị đã chọn; hãy tìm và chọn lại.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    required_css_class = "required"

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "position", "role", "unit"]
        labels = {
            "username": _("Tên đăng nhập"),
            "full_name": _("Họ và tên"),
            "email": _("E-mail"),
            "position": _("Chức vụ"),
            "role": _("Vai trò"),
        }
        help_texts = {
            "username": _("Chữ cái không dấu, chữ số và các ký tự @ . + - _ ; ví dụ “nguyenvana.snv”."),
            "email": _(
                "Nơi nhận nhắc hạn báo cáo và thông báo. Không có e-mail thì chỉ nhận thông báo trong hệ thống."
            ),
        }

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["unit"].queryset = Unit.objects.all()
        # A new account says who holds it; older accounts without a name can still be edited.
        self.fields["full_name"].required = not editing
        self.fields["role"].choices = [c for c in self.fields["role"].choices if c[0]]  # no "---------"
        if editing:
            del self.fields["username"]
            self.fields["version"].required = True

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role and role not in GLOBAL_ROLES and not data.get("unit") and "unit" not in self.errors:
            self.add_error(
                "unit",
                _("Vai trò “%(role)s” làm việc cho một đơn vị: hãy tìm và chọn đơn vị.")
                % {"role": dict(self.fields["role"].choices)[role]},
            )
        return data

    def action_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("full_name", "email", "position", "role", "unit")}
