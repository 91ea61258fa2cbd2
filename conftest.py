"""Shared test setup: fast settings, and one persona per role (see cchc/testing.py)."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's async guard would
# otherwise refuse the database calls the browser tests make to set up their data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    from cchc.testing import fast_settings

    for name, value in fast_settings(settings, tmp_path / "media").items():
        setattr(settings, name, value)
    # LocMemCache keeps its data per process, across tests: start each test with an empty cache
    # (a page cached by one test must not answer another).
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test databases' settings, and the flush between transactional tests made cheap (``_quick_flush``).

    On PostgreSQL the tests' connections commit without waiting for the disk (``synchronous_commit``, a setting
    of the session): a test database is thrown away, so nothing is lost that matters. The tests that commit
    (``transaction=True``: the browser tests and the live server's) commit after every save; each of those
    waited for the write-ahead log to reach the disk. At the end the database is dropped by force
    (``_drop_test_database_by_force``)."""
    from django.conf import settings

    _quick_flush()
    for db in settings.DATABASES.values():
        if db["ENGINE"] == "django.db.backends.postgresql":
            options = db.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
            _drop_test_database_by_force()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, with the personas and the small plan built once for the tests in a row that
    ask for them (``cchc.testing.SharedRows``): Django's ``TestCase`` opens them before a test's own
    transaction, ``TransactionTestCase`` rolls them back first. They are rolled back before the databases go."""
    from django.test import TestCase, TransactionTestCase

    from cchc.testing import SHARED

    nested, emptied = TestCase._fixture_setup.__func__, TransactionTestCase._fixture_setup.__func__

    def in_shared_rows(cls):
        SHARED.prepare()
        return nested(cls)

    def without_shared_rows(cls):
        SHARED.close()
        return emptied(cls)

    TestCase._fixture_setup = classmethod(in_shared_rows)
    TransactionTestCase._fixture_setup = classmethod(without_shared_rows)
    yield
    with django_db_blocker.unblock():
        SHARED.close()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    from cchc.testing import SHARED

    SHARED.expect(getattr(item, "fixturenames", ()))


@pytest.fixture
def personas(db):
    from cchc.testing import SHARED, make_personas

    return SHARED.get("personas") or make_personas()


@pytest.fixture
def demo_plan(personas):
    from cchc.testing import SHARED, make_small_plan

    return SHARED.get("demo_plan") or make_small_plan(personas)


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.core.management import call_command

    from cchc.testing import built_once

    media_root = tmp_path_factory.mktemp("demo-media")
    with built_once(django_db_blocker, media_root):
        call_command("load_demo", verbosity=0)
        yield media_root


@pytest.fixture
def loaded_demo(_demo_once, db, settings):
    """The demo province (``cchc load_demo``), loaded once for the module's tests that use it: a few seconds
    each time. Each test's own changes are rolled back (cchc.testing.built_once)."""
    settings.MEDIA_ROOT = _demo_once  # where the demo's evidence and attachments were saved


def pytest_sessionfinish(session):
    from cchc.browser import close_shared_browser

    close_shared_browser()


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    """Tests marked ``long`` first. pytest-django then sorts by kind (database tests, transactional tests,
    the rest), keeping this order within each kind: a long test no longer comes last, where the other
    worker (``--dist worksteal``) would have nothing left to take while it runs."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
    return (yield)


# Rows that migrations make and no test changes: the models' content types and permissions.
KEPT_BY_FLUSH = frozenset({"django_content_type", "auth_permission"})


def _quick_flush():
    """After each transactional test pytest-django empties the database with Django's ``flush`` command. Its
    statements and its ``post_migrate`` are replaced here, in one place, for both databases:

    - the content types and permissions stay (``KEPT_BY_FLUSH``), and ``post_migrate`` goes to every receiver
      but the two that would make them again (63 content types and 252 permissions each time); the other
      receivers, the figure cache's, still hear it;
    - on PostgreSQL the rows are deleted instead of one TRUNCATE of every table, which gives each table and
      index a new file (the foreign keys are checked at commit, when every row is gone). Tables with triggers
      of their own are still truncated, and only when they hold rows (a TRUNCATE costs about 25 ms even of
      empty tables): the audit log refuses DELETE, and the procedure index keeps its name vectors in step
      through a TRUNCATE trigger.

    One flush, as pytest-django calls it: PostgreSQL 0.41 s at first, 115 ms before the two tables were kept,
    12 ms now; SQLite 31 -> 2 ms."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes
    from django.core.management.commands import flush
    from django.db.models.signals import post_migrate

    auth_uid = "django.contrib.auth.management.create_permissions"  # as django.contrib.auth.apps connects it
    emit = flush.emit_post_migrate_signal

    def statements(style, connection, reset_sequences=True, allow_cascade=False):
        tables = [
            table
            for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
            if table not in KEPT_BY_FLUSH
        ]
        options = {"reset_sequences": reset_sequences, "allow_cascade": allow_cascade}
        if connection.vendor != "postgresql" or not tables or reset_sequences or allow_cascade:
            return connection.ops.sql_flush(style, tables, **options)
        triggered = _tables_with_triggers(connection) & set(tables)
        # The names are the tables Django lists, quoted.
        return [
            *(f"DELETE FROM {connection.ops.quote_name(table)};" for table in tables if table not in triggered),  # noqa: S608
            *connection.ops.sql_flush(style, _tables_with_rows(connection, sorted(triggered)), **options),
        ]

    def emit_without_makers(*args, **kwargs):
        post_migrate.disconnect(create_contenttypes)
        post_migrate.disconnect(dispatch_uid=auth_uid)
        try:
            emit(*args, **kwargs)
        finally:
            post_migrate.connect(create_contenttypes)
            post_migrate.connect(create_permissions, dispatch_uid=auth_uid)

    flush.sql_flush = statements
    flush.emit_post_migrate_signal = emit_without_makers


def _drop_test_database_by_force():
    """At the end, the test database is dropped even while a connection of the live server's request threads is
    still open on it. Without FORCE, PostgreSQL waited 5 s for that session to end, then refused: each worker
    ended 5 s late and left its database behind (pytest's warning "Error when trying to teardown test
    databases ... being accessed by other users"), for the next run to drop first."""
    from django.db.backends.postgresql.creation import DatabaseCreation

    def _destroy_test_db(self, test_database_name, verbosity):
        self.connection.close_pool()
        with self._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE {self.connection.ops.quote_name(test_database_name)} WITH (FORCE)")

    DatabaseCreation._destroy_test_db = _destroy_test_db


def _tables_with_triggers(connection) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall()}


def _tables_with_rows(connection, tables: list[str]) -> list[str]:
    if not tables:
        return []
    quote = connection.ops.quote_name
    # The names are tables Django lists, quoted; each is also passed as a parameter, not spliced in.
    query = " UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, tables)
        return [name for (name,) in cursor.fetchall()]
