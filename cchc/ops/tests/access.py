from cchc.tests.matrix import REDIRECT, Access, everyone, roles


def world(w):
    from django.utils import timezone

    from cchc.ops.models import ScheduledRun

    ScheduledRun.objects.create(
        name="disable_inactive_users", slot="2026-03-02", host="app1", started_at=timezone.now()
    )


# Load balancers' probes: public, GET only, they say nothing but "alive" / which dependency is down.
# The storage check writes and reads a test file in the file store: administrators only.
ACCESS = {
    "ops:healthz": Access(get=everyone(200), post=everyone(405)),
    "ops:readyz": Access(get=everyone(200), post=everyone(405)),
    "ops:storage_check": Access(get=roles("admin"), post=roles("admin", ok=REDIRECT)),
    "ops:storage_check_file": Access(
        get=roles("admin", ok=404), post=roles("admin", ok=404), kwargs={"name": "no-such-check-file"}
    ),
}
