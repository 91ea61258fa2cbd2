"""The flush that empties the database after each transactional test (conftest.py): it must leave no data
behind for the next test, keep the content types and permissions that migrate made, and leave Django's
post_migrate receivers connected for the next migrate."""

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal


@pytest.mark.django_db(transaction=True)
def test_the_flush_between_tests_empties_the_data_and_keeps_what_migrate_made(personas):
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from cchc.accounts.models import User
    from cchc.audit.actions import record
    from cchc.audit.models import AuditEntry

    record("accounts.login", actor=personas.coordinator)
    types, permissions = ContentType.objects.count(), Permission.objects.count()
    assert types > 0 and permissions > 0

    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)  # as after a transactional test

    assert not User.objects.exists() and not Group.objects.exists() and not AuditEntry.objects.exists()
    assert (ContentType.objects.count(), Permission.objects.count()) == (types, permissions)
    # The receivers that make them still answer a migrate: a permission gone is made again.
    Permission.objects.filter(codename="view_user").delete()
    emit_post_migrate_signal(0, False, "default")
    assert Permission.objects.filter(codename="view_user").exists()
    assert Permission.objects.count() == permissions
