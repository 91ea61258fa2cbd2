"""``cchc issue_api_key "Phần mềm một cửa huyện X" --rate 600/h --by admin-ten``: an Open311 ``api_key`` for a
known application, with its own limit. The key is printed once; only its SHA-256 is kept.
``--revoke ID`` stops a key."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from cchc.accounts.models import User
from cchc.feedback.actions import do_issue_api_key, do_revoke_api_key
from cchc.feedback.models import ApiClient
from cchc.lib.env import ConfigError, parse_rate


class Command(BaseCommand):
    help = "Cấp (hoặc thu hồi) khóa API cho một ứng dụng gửi phản ánh qua Open311 / JSON API."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", default="", help="tên ứng dụng")
        parser.add_argument("--rate", default="600/h", help="giới hạn riêng, dạng SỐ/KHOẢNG: 600/h, 100/m")
        parser.add_argument("--by", required=True, help="tài khoản quản trị cấp khóa (ghi nhật ký)")
        parser.add_argument("--revoke", type=int, help="thu hồi khóa của ứng dụng có mã này")

    def handle(self, *args, name: str, rate: str, by: str, revoke: int | None, **options):
        actor = User.objects.filter(username=by, is_active=True).first()
        if actor is None:
            raise CommandError(f"Không có tài khoản đang hoạt động “{by}”.")
        try:
            if revoke is not None:
                client = ApiClient.objects.filter(pk=revoke).first()
                if client is None:
                    raise CommandError(f"Không có ứng dụng mã {revoke}.")
                do_revoke_api_key(client, actor=actor)
                self.stdout.write(f"Đã thu hồi khóa của “{client.name}”.")
                return
            try:
                limit = parse_rate(rate, "--rate")
            except ConfigError as err:
                raise CommandError(f"--rate {rate!r}: viết dạng SỐ/KHOẢNG, ví dụ 600/h") from err
            client, key = do_issue_api_key(name, limit, actor=actor)
        except PermissionDenied:
            raise CommandError("Chỉ quản trị hệ thống được cấp hoặc thu hồi khóa API.") from None
        except ValidationError as err:
            raise CommandError(" ".join(err.messages)) from None
        self.stdout.write(f"Ứng dụng “{client.name}” (mã {client.pk}), giới hạn {rate}. Khóa API (chỉ hiện một lần):")
        self.stdout.write(key)
