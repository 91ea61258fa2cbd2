"""``cchc makemessages``: Django's, also extracting strings marked with ``_lazy(...)``.

Forms and models import ``gettext_lazy as _lazy`` where ``_`` is already ``gettext``; xgettext knows
``_`` and ``gettext_lazy`` but not that alias, so without this those strings never reach the catalogue
and stay Vietnamese in English.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # N_: labels kept as plain Vietnamese data and translated where shown (see cchc/procedures/records.py).
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy", "--keyword=N_"]
