"""Signals for apps that build on plans (plans imports none of them)."""

from django.dispatch import Signal

# Sent with ``plan`` after a plan's obligations were (re)computed: new plan, updated draft, re-expansion.
# The execution app regenerates the plan's deliverables on it.
obligations_changed = Signal()

# Sent with ``plan`` and ``unit_ids`` (every unit with an obligation) once a plan is activated, and with
# ``plan``, ``version`` and ``notices`` ({unit id: [lines saying what changed for it]}) after an
# amendment. The reports app, which holds the notification machinery, tells the agencies' staff.
plan_activated = Signal()
plan_amended = Signal()

# Sent with ``plan`` before a plan is closed; a receiver returns why the plan may not be closed yet (a
# message) or None. The reports app answers "the year report is not issued".
plan_closing = Signal()
