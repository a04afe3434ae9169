from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from clusterbridge.accounts import views as account_views
from clusterbridge.accounts.federation import FederatedLoginCallback, FederatedLoginStart
from clusterbridge.api.api import api
from clusterbridge.core import error_views
from clusterbridge.core.health import healthz
from clusterbridge.core.metrics import metrics
from clusterbridge.publishing import views as publishing_views

urlpatterns = [
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("favicon.ico", error_views.favicon),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("api/v1/", api.urls),
    # Outside the language prefixes: the provider knows one fixed callback address.
    path("oidc/authenticate/", FederatedLoginStart.as_view(), name="oidc_start"),
    path("oidc/callback/", FederatedLoginCallback.as_view(), name="oidc_callback"),
    # Outside the language prefixes: the address in every newsletter's List-Unsubscribe header (RFC 8058).
    path("newsletter/unsubscribe/<str:token>/", publishing_views.unsubscribe, name="unsubscribe"),
    path("newsletter/mail-events/", publishing_views.mail_events, name="mail_events"),  # bounces, complaints
]
urlpatterns += i18n_patterns(
    path("", include("clusterbridge.home.urls")),
    path("", include("clusterbridge.directory.urls")),
    path("accounts/", include("clusterbridge.accounts.urls")),
    path("icp/", include("clusterbridge.offsets.urls")),
    path("events/", include("clusterbridge.events.urls")),
    path("outcomes/", include("clusterbridge.outcomes.urls")),
    path("jobs/", include("clusterbridge.core.urls")),
    path("privacy/", include("clusterbridge.privacy.urls")),
    path("", include("clusterbridge.publishing.urls")),
    path("indicators/", include("clusterbridge.indicators.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler400 = "clusterbridge.core.error_views.bad_request"
handler403 = "clusterbridge.core.error_views.forbidden"
handler404 = "clusterbridge.core.error_views.not_found"
handler500 = "clusterbridge.core.error_views.server_error"
