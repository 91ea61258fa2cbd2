"""How a session's user is loaded: with their unit, which every signed-in page shows in its header, from the
shared cache when it holds them (cchc.accounts.authcache)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from cchc.accounts import authcache


class UserWithUnitBackend(ModelBackend):
    """Django's ModelBackend, but the user of each request comes with their unit in the same query (one
    query less on every signed-in page: the header names the unit), kept in the shared cache until the user or
    their unit changes."""

    def get_user(self, user_id):
        user = authcache.user(user_id, lambda: self._fetch(user_id))
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _fetch(user_id):
        model = get_user_model()
        return model._default_manager.select_related("unit").filter(pk=user_id).first()
