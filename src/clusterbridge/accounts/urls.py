from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .signup_views import sign_up, sign_up_confirm
from .views import (LimitedPasswordResetView, RateLimitedLoginView, api_tokens, inbox, login_code, notice_language,
                    two_factor)

app_name = "accounts"
urlpatterns = [
    path("login/", RateLimitedLoginView.as_view(), name="login"),
    path("sign-up/", sign_up, name="sign_up"),
    path("sign-up/confirm/<str:token>/", sign_up_confirm, name="sign_up_confirm"),
    path("login/code/", login_code, name="login_code"),
    path("two-factor/", two_factor, name="two_factor"),
    path("api-keys/", api_tokens, name="api_tokens"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("inbox/", inbox, name="inbox"),
    path("inbox/language/", notice_language, name="notice_language"),
    path("password-reset/", LimitedPasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_sent")), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_sent.html"), name="password_reset_sent"),
    path("password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete")), name="password_reset_confirm"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
]
