from django.core.management.base import BaseCommand

from cchc.orgs.management.commands.load_units import parse_day
from cchc.plans.actions import do_inherit_obligations


class Command(BaseCommand):
    help = ("Chuyển nhiệm vụ đang thực hiện của đơn vị cũ sang đơn vị kế thừa sau sắp xếp. "
            "Give successors the running obligations of the units they replaced.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, type=parse_day)

    def handle(self, *args, as_of, **options):
        created = do_inherit_obligations(as_of)
        self.stdout.write(f"{created} nhiệm vụ được chuyển cho đơn vị kế thừa.")
