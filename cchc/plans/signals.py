"""Signals for apps that build on plans (plans imports none of them)."""

from django.dispatch import Signal

# Sent with ``plan`` after a plan's obligations were (re)computed: new plan, updated draft, re-expansion.
# The execution app regenerates the plan's deliverables on it.
obligations_changed = Signal()
