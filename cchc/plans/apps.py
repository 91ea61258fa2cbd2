from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cchc.plans"
    verbose_name = _("Kế hoạch")

    def ready(self):
        # The unit page (orgs) shows the unit's duties; orgs sits below plans, so plans offers them.
        from cchc.orgs.sections import register_unit_section
        from cchc.plans.sections import unit_obligations

        register_unit_section("plans.obligations", unit_obligations)
