import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.feedback.actions import ANONYMISED, do_anonymise_senders
from cchc.feedback.models import Feedback
from cchc.feedback.tests.factory import make_feedback
from cchc.lib.text import fold

pytestmark = pytest.mark.django_db


def test_it_anonymises_senders_of_items_closed_before_the_cutoff(personas):
    old = make_feedback()
    name = old.sender_name
    recent = make_feedback()
    open_item = make_feedback()
    Feedback.objects.filter(pk=old.pk).update(closed_at=timezone.now() - dt.timedelta(days=6 * 366))
    Feedback.objects.filter(pk=recent.pk).update(closed_at=timezone.now() - dt.timedelta(days=30))
    cutoff = timezone.now() - dt.timedelta(days=5 * 365)
    assert do_anonymise_senders(cutoff, dry_run=True) == 1
    assert do_anonymise_senders(cutoff) == 1
    old.refresh_from_db()
    assert old.sender_name == ANONYMISED and old.phone == "" and old.email == "" and old.address == ""
    assert fold(name) not in old.desk_search  # the staff search no longer finds the sender either
    recent.refresh_from_db()
    open_item.refresh_from_db()
    assert recent.sender_name != ANONYMISED and open_item.sender_name != ANONYMISED
    assert AuditEntry.objects.filter(action="feedback.anonymise_senders").count() == 1
    assert do_anonymise_senders(cutoff) == 0


def test_the_privacy_command_runs_the_feedback_retention(personas, capsys):
    old = make_feedback()
    Feedback.objects.filter(pk=old.pk).update(closed_at=timezone.now() - dt.timedelta(days=6 * 366))
    call_command("anonymise_personal_data")
    old.refresh_from_db()
    assert old.sender_name == ANONYMISED
