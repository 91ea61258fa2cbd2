from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExecutionConfig(AppConfig):
    name = "cchc.execution"
    verbose_name = _("Thực hiện")

    def ready(self):
        from cchc.plans.signals import obligations_changed

        obligations_changed.connect(_regenerate_deliverables, dispatch_uid="execution.deliverables")


def _regenerate_deliverables(sender, plan, **kwargs):
    # Deliverables follow obligations: a new plan, an updated draft, a re-expansion.
    from cchc.execution.actions import do_generate_deliverables

    do_generate_deliverables(plan)
