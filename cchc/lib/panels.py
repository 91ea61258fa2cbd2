"""A panel one room offers to another's page: a title, a template and its context (plain data).

It lives in ``lib`` so that the room that offers a panel (feedback's satisfaction results) and the one
that shows it (the dashboards) both know the type without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Panel:
    title: str
    template: str  # rendered with ``context`` (and the page's own context)
    context: dict = field(default_factory=dict)
