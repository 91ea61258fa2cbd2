"""cchc run_once --every day COMMAND [ARGS...]: run a scheduled command once per slot across all servers.

Every app server carries the same systemd timers. The first server whose timer fires inserts the
(command, slot) row and runs the command; the others find the row and skip. A failed run may be
taken over by a later timer in the same slot, and so may a run whose server died while running it.
"""

import argparse
import datetime as dt
import io
import socket
import traceback

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cchc.ops.models import RunStatus, ScheduledRun

SLOT_FORMATS = {"hour": "%Y-%m-%dT%H", "day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m"}


def slot_for(every: str, now: dt.datetime) -> str:
    return timezone.localtime(now).strftime(SLOT_FORMATS[every])


def claim(name: str, slot: str, host: str, stale_after: dt.timedelta = dt.timedelta(hours=6)) -> ScheduledRun | None:
    """The run this server may do now, or None when another server has it (running or done).

    A run that failed, or that has been "running" for longer than ``stale_after`` (its server died
    mid-run), may be taken over; the compare-and-set UPDATE lets only one server take it.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(name=name, slot=slot, host=host, started_at=now)
    except IntegrityError:
        pass
    retry = Q(status=RunStatus.FAILED) | Q(status=RunStatus.RUNNING, started_at__lt=now - stale_after)
    taken = ScheduledRun.objects.filter(retry, name=name, slot=slot).update(
        status=RunStatus.RUNNING, host=host, started_at=now, finished_at=None
    )
    if not taken:
        return None
    run = ScheduledRun.objects.get(name=name, slot=slot)
    run.attempts += 1
    run.save(update_fields=["attempts"])
    return run


class Command(BaseCommand):
    help = (
        "Chạy một lệnh định kỳ đúng một lần mỗi kỳ dù nhiều máy chủ cùng hẹn giờ. "
        "Run a scheduled command once per hour/day/week/month across all servers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", choices=sorted(SLOT_FORMATS), default="day")
        parser.add_argument("command_name")
        parser.add_argument("command_args", nargs=argparse.REMAINDER, help="Tham số của lệnh.")

    def handle(self, *args, **options):
        name, every = options["command_name"], options["every"]
        slot = slot_for(every, timezone.now())
        host = socket.gethostname()
        run = claim(name, slot, host)
        if run is None:
            self.stdout.write(f"{name} {slot}: đã do máy chủ khác chạy; bỏ qua.")
            return
        out = io.StringIO()
        try:
            call_command(name, *options["command_args"], stdout=out, stderr=out)
        except BaseException as err:
            run.status = RunStatus.FAILED
            run.output = (out.getvalue() + traceback.format_exc())[-10000:]
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "output", "finished_at"])
            self.stdout.write(out.getvalue())
            raise CommandError(f"{name} {slot}: lỗi: {err}") from err
        run.status = RunStatus.SUCCEEDED
        run.output = out.getvalue()[-10000:]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "output", "finished_at"])
        self.stdout.write(out.getvalue())
        self.stdout.write(f"{name} {slot}: xong trên {host}.")
