"""cchc worker: process background tasks from the Redis queue (CCHC_TASK_QUEUE=redis)."""

import os
import socket

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from cchc.lib.tasks import DEFAULT_QUEUE, RedisBackend, get_backend


class Command(BaseCommand):
    help = ("Xử lý các công việc nền trong hàng đợi Redis (cần CCHC_TASK_QUEUE=redis). "
            "Run the background task worker.")

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="append", dest="queues",
                            help=f"Hàng đợi cần xử lý (lặp lại được; mặc định {DEFAULT_QUEUE!r}).")
        parser.add_argument("--burst", action="store_true", help="Xử lý hết việc đang chờ rồi dừng.")
        parser.add_argument("--max-jobs", type=int, default=None, help="Dừng sau N việc (để tự làm mới tiến trình).")

    def handle(self, *args, **options):
        from rq import Worker
        from rq.serializers import JSONSerializer

        backend = get_backend()
        if not isinstance(backend, RedisBackend):
            raise CommandError("Chưa cấu hình hàng đợi: đặt CCHC_TASK_QUEUE=redis và REDIS_URL. Không có hàng đợi, "
                               "công việc nền chạy ngay trong tiến trình web, không cần 'cchc worker'.")
        queues = [backend.queue(name) for name in (options["queues"] or [DEFAULT_QUEUE])]
        # Each job runs in a forked child: no database connection may be shared with it.
        connections.close_all()
        worker = Worker(queues, connection=backend.connection(), serializer=JSONSerializer,
                        name=f"cchc.{socket.gethostname()}.{os.getpid()}")
        self.stdout.write(f"cchc worker: {', '.join(q.name for q in queues)}")
        worker.work(burst=options["burst"], max_jobs=options["max_jobs"],
                    logging_level="INFO" if options["verbosity"] > 1 else "WARNING")
