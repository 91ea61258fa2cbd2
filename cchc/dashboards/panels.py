"""Panels other apps add to the dashboards — the slot for satisfaction results.

Nothing may import ``dashboards``, so an app that has something to show here (first of all ``cchc.feedback``
with the citizens' satisfaction ratings the plan promises) offers a function, and the project's settings
name it::

    # cchc/settings.py
    CCHC_DASHBOARD_PANELS = ["cchc.feedback.panels.satisfaction"]

    # cchc/feedback/panels.py
    def satisfaction(*, plan, period, user, public) -> Panel | None: ...

The function gets the plan, the period (None on the public page, which covers the whole plan), the user
(None for the public) and whether the page is public — it must then return nothing personal — and returns a
``cchc.lib.panels.Panel`` or None. It should cost a fixed number of queries; the dashboards' query-count
tests run with the panels configured.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from cchc.lib.panels import Panel


def panels(*, plan, period=None, user=None, public: bool = False) -> list[Panel]:
    out = []
    for path in getattr(settings, "CCHC_DASHBOARD_PANELS", ()):
        panel = import_string(path)(plan=plan, period=period, user=user, public=public)
        if panel is not None:
            out.append(panel)
    return out
