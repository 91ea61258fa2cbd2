"""What the plans room adds to pages of rooms below it (registered in ``PlansConfig.ready``)."""

from __future__ import annotations

from cchc.lib.paging import paginate
from cchc.plans.models import Obligation


def unit_obligations(request, unit) -> dict:
    """The unit's duties under every plan the user sees, for the unit's page (``cchc.orgs.sections``)."""
    return {
        "obligations": paginate(
            request,
            Obligation.objects.visible_to(request.user)
            .for_unit(unit)
            .select_related("activity", "activity__plan")
            .order_by("activity__plan", "activity__order"),
        )
    }
