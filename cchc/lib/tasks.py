"""One interface for background work: run in this process by default, on a Redis queue when configured.

    from cchc.lib.tasks import task

    @task
    def send_deadline_reminders(plan_id: int) -> int:
        ...

    send_deadline_reminders.enqueue(plan.pk)              # now, or on the queue
    send_deadline_reminders.enqueue_on_commit(plan.pk)    # after the surrounding transaction commits

``CCHC_TASK_QUEUE=immediate`` (the default) runs the task at once, in the caller's process: one command
runs everything, nothing else to install. ``CCHC_TASK_QUEUE=redis`` (with ``REDIS_URL``) puts the task
on an RQ queue that ``cchc worker`` processes, so a long export does not hold a web worker.

The names follow Django 6's ``django.tasks`` (``@task``, ``.enqueue()``) so moving to it later is a
change of import. Arguments must be JSON values (ids, strings, numbers), never model instances: the queue
stores them as JSON and the task loads what it needs. The in-process runner enforces the same rule, so
a task that works in development works on the queue.
"""

from __future__ import annotations

import importlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction

logger = logging.getLogger("cchc.tasks")

IMMEDIATE = "immediate"
REDIS = "redis"
DEFAULT_QUEUE = "default"


class TaskError(RuntimeError):
    pass


@dataclass
class TaskResult:
    id: str
    task_name: str
    backend: str
    status: str  # "succeeded", "failed" (in process) or "queued" (on the queue)
    return_value: Any = None
    error: str = ""
    args: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)


class Task:
    """A function that may run in the background. Calling it directly runs it here and now."""

    def __init__(self, func: Callable, *, queue_name: str = DEFAULT_QUEUE, timeout: int = 600):
        self.func = func
        self.name = f"{func.__module__}.{func.__qualname__}"
        self.queue_name = queue_name
        self.timeout = timeout
        self.__doc__ = func.__doc__
        self.__name__ = func.__name__
        self.__module__ = func.__module__
        self.__qualname__ = func.__qualname__

    def __call__(self, *args, **kwargs):
        return self.func(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Task {self.name}>"

    def enqueue(self, *args, **kwargs) -> TaskResult:
        _check_json(self.name, args, kwargs)
        return get_backend().enqueue(self, list(args), kwargs)

    def enqueue_on_commit(self, *args, **kwargs) -> None:
        """Enqueue once the current transaction commits (never for a change that was rolled back)."""
        _check_json(self.name, args, kwargs)
        transaction.on_commit(lambda: self.enqueue(*args, **kwargs))


def task(func: Callable | None = None, *, queue_name: str = DEFAULT_QUEUE, timeout: int = 600):
    """Decorator: ``@task`` or ``@task(queue_name="exports", timeout=1800)``."""
    if func is None:
        return lambda f: Task(f, queue_name=queue_name, timeout=timeout)
    return Task(func, queue_name=queue_name, timeout=timeout)


def _check_json(name: str, args, kwargs) -> None:
    try:
        json.dumps([list(args), kwargs])
    except (TypeError, ValueError) as err:
        raise TaskError(f"Task {name}: arguments must be JSON values (ids, strings, numbers): {err}") from None


def load_task(name: str) -> Task:
    module_name, _, attr = name.rpartition(".")
    try:
        target = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError, ValueError) as err:
        raise TaskError(f"No task named {name!r}: {err}") from None
    if not isinstance(target, Task):
        raise TaskError(f"{name!r} is not a task (decorate it with @task)")
    return target


def run_task(name: str, args: list, kwargs: dict):
    """What the worker runs for every job: only functions decorated with ``@task`` can be called."""
    target = load_task(name)
    close_old_connections()  # a worker lives long: never reuse a connection the database dropped
    try:
        return target.func(*args, **kwargs)
    finally:
        close_old_connections()


class ImmediateBackend:
    name = IMMEDIATE

    def enqueue(self, target: Task, args: list, kwargs: dict) -> TaskResult:
        result = TaskResult(id=uuid.uuid4().hex, task_name=target.name, backend=self.name, status="succeeded",
                            args=args, kwargs=kwargs)
        # A JSON round trip, as the queue would do: the task sees the same values on both backends.
        args, kwargs = json.loads(json.dumps([args, kwargs]))
        try:
            result.return_value = target.func(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - background work: recorded and logged, not raised to the caller
            logger.exception("task failed", extra={"task": target.name, "task_id": result.id})
            result.status = "failed"
            result.error = f"{type(err).__name__}: {err}"
        return result


class RedisBackend:
    name = REDIS

    def __init__(self, url: str, prefix: str):
        self.url = url
        self.prefix = prefix

    def connection(self):
        from redis import Redis

        return Redis.from_url(self.url)

    def queue(self, queue_name: str = DEFAULT_QUEUE):
        from rq import Queue
        from rq.serializers import JSONSerializer

        return Queue(f"{self.prefix}{queue_name}", connection=self.connection(), serializer=JSONSerializer)

    def enqueue(self, target: Task, args: list, kwargs: dict) -> TaskResult:
        job = self.queue(target.queue_name).enqueue(
            run_task, target.name, args, kwargs,
            job_timeout=target.timeout, result_ttl=24 * 3600, failure_ttl=7 * 24 * 3600,
            description=target.name,
        )
        return TaskResult(id=job.id, task_name=target.name, backend=self.name, status="queued", args=args,
                          kwargs=kwargs)


def get_backend() -> ImmediateBackend | RedisBackend:
    kind = getattr(settings, "CCHC_TASK_QUEUE", IMMEDIATE)
    if kind == IMMEDIATE:
        return ImmediateBackend()
    if kind == REDIS:
        url = getattr(settings, "CCHC_TASK_REDIS_URL", None) or getattr(settings, "REDIS_URL", None)
        if not url:
            raise TaskError("CCHC_TASK_QUEUE=redis needs REDIS_URL")
        return RedisBackend(url, getattr(settings, "CCHC_TASK_QUEUE_PREFIX", "cchc:"))
    raise TaskError(f"CCHC_TASK_QUEUE={kind!r}: use 'immediate' or 'redis'")
