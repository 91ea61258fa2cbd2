from django.apps import AppConfig, apps

UNWATCHED = {"audit", "accounts"}
# Bookkeeping that no figure or cached fragment shows, written by what happens all day long: a citizen's search
# of new words (its daily counter row), a timer's run on an app server (the slot's lock row). Were they
# watched, every new search would throw away every cached dashboard figure. What a run changes is watched.
UNWATCHED_MODELS = {"procedures.searchqueryday", "ops.scheduledrun"}


class LibConfig(AppConfig):
    """Shared helpers: their template tags and static files, the figure cache's watch, the choice labels."""

    name = "cchc.lib"
    label = "cchc_lib"

    def ready(self) -> None:
        from cchc.lib import choices, figcache

        choices.install(m for m in apps.get_models() if m.__module__.startswith("cchc."))

        # Every model of cchc's apps but the audit log (record() bumps for the actions it logs) and the accounts
        # (no figure counts users; a log-in saves the user, and must not throw away every cached figure).
        figcache.watch(
            {c.label for c in apps.get_app_configs() if c.name.startswith("cchc.") and c.label not in UNWATCHED},
            ignoring=UNWATCHED_MODELS,
        )
