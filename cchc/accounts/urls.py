from django.contrib.auth import views as auth_views
from django.urls import path

from cchc.accounts import views
from cchc.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm,
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("security/", views.security, name="security"),
    path("security/mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("security/mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("security/mfa/remove/", views.mfa_remove, name="mfa_remove"),
    path("security/password/", views.PasswordChangeView.as_view(), name="password_change"),
]
