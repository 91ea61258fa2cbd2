from django import template
from django.conf import settings

from cchc.privacy.models import LegalBasis

register = template.Library()


@register.filter
def legal_basis_label(value) -> str:
    """``"consent"`` → "Sự đồng ý của chủ thể dữ liệu"; free text is shown as given."""
    try:
        return LegalBasis(value).label
    except ValueError:
        return value


@register.simple_tag
def privacy_controller() -> str:
    return settings.PRIVACY_CONTROLLER
