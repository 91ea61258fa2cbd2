"""Scheduled commands run once per slot even when every server's timer fires."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from cchc.ops.management.commands.run_once import claim, slot_for
from cchc.ops.models import RunStatus, ScheduledRun

pytestmark = pytest.mark.django_db


def test_it_names_slots_by_local_time():
    moment = dt.datetime(2024, 3, 4, 18, 30, tzinfo=dt.UTC)  # 01:30 on 5 March in Vietnam
    assert slot_for("day", moment) == "2024-03-05"
    assert slot_for("hour", moment) == "2024-03-05T01"
    assert slot_for("week", moment) == "2024-W10"
    assert slot_for("month", moment) == "2024-03"


def test_it_lets_only_the_first_server_run():
    first = claim("send_reminders", "2024-03-05", "app1")
    assert first is not None
    assert claim("send_reminders", "2024-03-05", "app2") is None
    assert claim("send_reminders", "2024-03-06", "app2") is not None
    assert claim("purge_audit", "2024-03-05", "app2") is not None


def test_it_lets_another_server_retry_a_failed_run():
    run = claim("send_reminders", "2024-03-05", "app1")
    run.status = RunStatus.FAILED
    run.save(update_fields=["status"])
    again = claim("send_reminders", "2024-03-05", "app2")
    assert again is not None and again.host == "app2" and again.attempts == 2
    assert claim("send_reminders", "2024-03-05", "app1") is None


def test_it_takes_over_a_run_whose_server_died():
    run = claim("purge_audit", "2024-03-05", "app1")
    assert claim("purge_audit", "2024-03-05", "app2") is None  # still running, not stale yet
    ScheduledRun.objects.filter(pk=run.pk).update(started_at=run.started_at - dt.timedelta(hours=7))
    again = claim("purge_audit", "2024-03-05", "app2")
    assert again is not None and again.host == "app2" and again.attempts == 2


def test_the_command_runs_once_and_records_it(capsys):
    call_command("run_once", "--every", "day", "check")
    assert "xong" in capsys.readouterr().out
    call_command("run_once", "--every", "day", "check")
    assert "bỏ qua" in capsys.readouterr().out
    run = ScheduledRun.objects.get(name="check")
    assert run.status == RunStatus.SUCCEEDED and run.finished_at is not None
    assert "no issues" in run.output


def test_the_command_records_a_failure():
    with pytest.raises(CommandError, match="lỗi"):
        call_command("run_once", "restore", "/khong/co/tep.tar", "--noinput")
    run = ScheduledRun.objects.get(name="restore")
    assert run.status == RunStatus.FAILED and "Không có tệp" in run.output
