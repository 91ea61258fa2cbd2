from django.contrib.auth import views as auth_views
from django.urls import path

from cchc.accounts import user_views, views
from cchc.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("security/", views.security, name="security"),
    path("security/mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("security/mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("security/mfa/remove/", views.mfa_remove, name="mfa_remove"),
    path("security/password/", views.PasswordChangeView.as_view(), name="password_change"),
    # The province administrator's user management (the Django admin stays for IT).
    path("users/", user_views.user_list, name="users"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/units/", user_views.unit_search, name="user_unit_search"),
    path("users/<int:pk>/", user_views.user_edit, name="user_edit"),
    path("users/<int:pk>/reset-password/", user_views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/active/", user_views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/remove-mfa/", user_views.user_remove_mfa, name="user_remove_mfa"),
]
