"""The task interface: in process by default, on a real Redis queue when configured."""

from __future__ import annotations

import os
import uuid

import pytest
from django.db import transaction

from cchc.lib.tasks import REDIS, RedisBackend, TaskError, get_backend, task

CALLS: list = []


@task
def add(a: int, b: int) -> int:
    CALLS.append((a, b))
    return a + b


@task(queue_name="slow", timeout=5)
def explode(message: str) -> None:
    raise ValueError(message)


def not_a_task() -> int:
    return 1


@pytest.fixture(autouse=True)
def _clear():
    CALLS.clear()


class TestImmediate:
    def test_it_runs_at_once_and_returns_the_value(self):
        result = add.enqueue(2, 3)
        assert (result.status, result.return_value, result.backend) == ("succeeded", 5, "immediate")
        assert CALLS == [(2, 3)]

    def test_it_records_a_failure_without_raising(self, caplog):
        result = explode.enqueue("hỏng")
        assert result.status == "failed" and "hỏng" in result.error
        assert "task failed" in caplog.text

    def test_it_refuses_arguments_a_queue_could_not_carry(self, personas):
        with pytest.raises(TaskError, match="JSON"):
            add.enqueue(personas.officer_a, 1)

    def test_it_can_wait_for_the_transaction(self, db, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            add.enqueue_on_commit(1, 1)
            assert CALLS == []
        assert CALLS == [(1, 1)]

    @pytest.mark.django_db(transaction=True)
    def test_it_does_not_run_for_a_rolled_back_change(self):
        with pytest.raises(RuntimeError), transaction.atomic():
            add.enqueue_on_commit(1, 1)
            raise RuntimeError
        assert CALLS == []

    def test_it_calls_directly_like_a_function(self):
        assert add(1, 2) == 3


def _redis_url() -> str | None:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        from redis import Redis

        Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        if os.environ.get("CI"):
            raise  # CI starts Redis: a missing one is a failure there, not a skip
        return None
    return url


@pytest.fixture
def redis_queue(settings):
    url = _redis_url()
    if url is None:
        pytest.skip("Redis is not running on this machine")
    settings.CCHC_TASK_QUEUE = REDIS
    settings.CCHC_TASK_REDIS_URL = url
    settings.CCHC_TASK_QUEUE_PREFIX = f"cchc-test-{uuid.uuid4().hex[:8]}:"  # never another run's queue
    backend = get_backend()
    yield backend
    connection = backend.connection()
    for key in connection.scan_iter(f"rq:*{settings.CCHC_TASK_QUEUE_PREFIX}*"):
        connection.delete(key)


@pytest.mark.django_db(transaction=True)  # the worker closes connections, as a long-lived worker must
class TestRedisQueue:
    def test_it_queues_and_a_worker_runs_it(self, redis_queue):
        from rq import SimpleWorker
        from rq.job import Job
        from rq.serializers import JSONSerializer

        assert isinstance(redis_queue, RedisBackend)
        result = add.enqueue(20, 22)
        assert result.status == "queued" and CALLS == []
        queue = redis_queue.queue()
        assert queue.count == 1
        SimpleWorker([queue], connection=redis_queue.connection(), serializer=JSONSerializer).work(burst=True)
        job = Job.fetch(result.id, connection=redis_queue.connection(), serializer=JSONSerializer)
        assert job.is_finished and job.return_value() == 42
        assert CALLS == [(20, 22)]

    def test_it_puts_tasks_on_their_own_queue(self, redis_queue):
        explode.enqueue("x")
        assert redis_queue.queue("slow").count == 1
        assert redis_queue.queue().count == 0

    def test_the_worker_command_drains_the_queue(self, redis_queue):
        from django.core.management import call_command
        from rq.job import Job
        from rq.serializers import JSONSerializer

        ids = [add.enqueue(i, i).id for i in range(3)]
        call_command("worker", "--burst")
        for i, job_id in enumerate(ids):
            job = Job.fetch(job_id, connection=redis_queue.connection(), serializer=JSONSerializer)
            assert job.return_value() == 2 * i

    def test_the_worker_runs_only_tasks(self, redis_queue):
        from cchc.lib.tasks import run_task

        with pytest.raises(TaskError, match="not a task"):
            run_task(f"{__name__}.not_a_task", [], {})
        with pytest.raises(TaskError, match="No task"):
            run_task("os.nothing_here", [], {})


def test_the_worker_command_needs_a_queue(settings):
    from django.core.management import CommandError, call_command

    settings.CCHC_TASK_QUEUE = "immediate"
    with pytest.raises(CommandError, match="CCHC_TASK_QUEUE=redis"):
        call_command("worker", "--burst")
