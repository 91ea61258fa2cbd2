"""Figures kept in the shared cache until the data under them changes.

A dashboard's figures sum every result of a period: 100 to 400 ms of database work at 100,000 results, the
same for every coordinator who opens the page until someone records something. ``cached(name, parts,
compute)`` keeps what ``compute()`` returns under a key that holds the **data generation**: one counter in
the cache that every change to the data moves.

What moves it: every save and delete of a model of cchc's own apps (``post_save``/``post_delete``/
``m2m_changed``, connected in ``cchc.lib.apps``, which also names the bookkeeping that no figure shows), and
every audit row of an action (``cchc.audit.actions.record``, so a ``QuerySet.update()`` inside an action counts
too) — once per transaction, **after it commits**.

Why that is never stale: a reader reads the generation *before* it computes. Whatever it computes — on rows
from before or after a commit — it stores under that generation, and the commit's bump moves every later
reader past it. A transaction that has changed data and not yet committed computes its own figures and keeps
nothing: they hold rows that may still be rolled back. (Tests run inside a transaction that never commits:
after their first write, figures are computed afresh each time, and the tests of the cache itself commit.)

The cache must be shared by every process that writes or reads, or one process would not see another's
bump: the figures are kept only when ``settings.CCHC_FIGURE_CACHE`` is true, which it is by default when
Redis is configured (production, the bench); tests turn it on for their single process.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import get_language

from cchc.lib.request_context import current_request

KEY = "cchc:data-generation"
PREFIX = "cchc:figure:"
MEMO = "_cchc_data_generation"  # the generation read by this request, kept on the request
TIMEOUT = 15 * 60  # an unused entry is dropped after this; a used one is replaced at the next change anyway


def enabled() -> bool:
    return bool(getattr(settings, "CCHC_FIGURE_CACHE", False))


def generation() -> int:
    """The current data generation: one cache read, once per request (a page with several cached figures and
    fragments reads it once; the request's own commit forgets it, below)."""
    request = current_request()
    value = getattr(request, MEMO, None)
    if value is not None:
        return value
    value = cache.get(KEY)
    if value is None:
        cache.add(KEY, time.time_ns(), timeout=None)
        value = cache.get(KEY)
    if request is not None:
        setattr(request, MEMO, value)
    return value


def _bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # not in the cache (flushed, expired): start again from the clock
        cache.set(KEY, time.time_ns(), timeout=None)
    request = current_request()
    if request is not None:  # this request changed the data: what it reads from now on is of the new generation
        request.__dict__.pop(MEMO, None)


def _pending(connection) -> bool:
    """This transaction has changed data and not committed yet (its bump is waiting)."""
    return connection.in_atomic_block and any(func is _bump for _ids, func, _robust in connection.run_on_commit)


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """The data changed: move the generation when the transaction commits (at once outside one)."""
    if enabled() and not _pending(connections[using]):
        transaction.on_commit(_bump, using=using)


def cached[T](name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned for the same ``name`` and ``parts`` at the current generation.

    ``parts`` says what the figure depends on besides the data (plan, period, filters, day...), each part
    with a stable ``str()``; the active language is added, since labels are translated when computed.

    A figure is kept with the generation it was computed at, under a key without it: the first figure of a
    request reads the generation and the figure in one round trip to the cache, and a figure of another
    generation is computed again (whichever was stored last, a reader of the current generation never uses it).
    """
    if not enabled() or _pending(connections[DEFAULT_DB_ALIAS]):
        return compute()
    raw = "|".join([name, get_language() or "", *map(str, parts)])
    key = PREFIX + hashlib.sha256(raw.encode()).hexdigest()
    request = current_request()
    current = getattr(request, MEMO, None)
    if current is None:
        found = cache.get_many([KEY, key])
        current = found.get(KEY)
        if current is None:
            current = generation()
        elif request is not None:
            setattr(request, MEMO, current)
        kept = found.get(key)
    else:
        kept = cache.get(key)
    if kept is not None and kept[0] == current:
        return kept[1]
    value = compute()
    cache.set(key, (current, value), TIMEOUT)
    return value


def _watched(model) -> bool:
    return model._meta.app_label in WATCHED and model._meta.label_lower not in IGNORED


def _on_change(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    if _watched(sender):
        bump(using)


WATCHED: set[str] = set()
IGNORED: set[str] = set()


def watch(app_labels: set[str], ignoring: set[str] = frozenset()) -> None:
    """Bump the generation on every save and delete of these apps' models but those ``ignoring`` names
    ("app_label.modelname"), called once, at start-up."""
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    WATCHED.update(app_labels)
    IGNORED.update(ignoring)
    post_migrate.connect(_on_migrate, dispatch_uid="cchc.figcache.migrate")
    post_save.connect(_on_change, dispatch_uid="cchc.figcache.save")
    post_delete.connect(_on_change, dispatch_uid="cchc.figcache.delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="cchc.figcache.m2m")


def _on_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    bump(using)  # a data migration may have changed anything, without signals


def _on_m2m_change(sender, instance, action: str, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    if action.startswith("post_") and _watched(type(instance)):
        bump(using)
