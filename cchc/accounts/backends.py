"""How a session's user is loaded: with their unit, which every signed-in page shows in its header."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithUnitBackend(ModelBackend):
    """Django's ModelBackend, but the user of each request comes with their unit in the same query (one
    query less on every signed-in page: the header names the unit)."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("unit").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
