from django.apps import AppConfig


class LibConfig(AppConfig):
    """Shared helpers; an app only so that its template tags and static files are found."""

    name = "cchc.lib"
    label = "cchc_lib"
