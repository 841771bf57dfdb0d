from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from oauth2_provider import views as oauth2_views

from .access.api import ThrottledTokenView
from .api import WhoAmIView
from .casework import registry
from .casework.api_notices import (
    NoticeAcknowledgeView,
    NoticeConfirmView,
    NoticeListView,
    NoticeRespondView,
)
from .lib.api_docs import api_docs_page, api_schema
from .views import DashboardView

admin.site.site_header = "Security Union back office: administration"
admin.site.login = login_not_required(
    RedirectView.as_view(pattern_name="account_login", query_string=True)
)

api_v1 = [
    path("whoami/", WhoAmIView.as_view(), name="whoami"),
    path("notices/", NoticeListView.as_view(), name="notice_list"),
    path("notices/<int:pk>/acknowledge/", NoticeAcknowledgeView.as_view(), name="notice_ack"),
    path("notices/<int:pk>/respond/", NoticeRespondView.as_view(), name="notice_respond"),
    path("notices/<int:pk>/confirm/", NoticeConfirmView.as_view(), name="notice_confirm"),
    # Each app's API routes, registered from its own ``ready``.
    *(path("", include(module)) for module in registry.api_url_modules),
]

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("accounts/", include("securityunion.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("audit/", include("securityunion.casework.urls_audit")),
    path("reports/", include("reports.urls")),
    path("firearms/", include("firearms.urls")),
    path("victims/", include("victims.urls")),
    # The public complaint form and status look-up: no sign-in.
    path("complaints/", include("reports.public_urls")),
    # The public transparency statistics: no sign-in.
    path("transparency/", include("reports.transparency_urls")),
    path("drugs/", include("drugs.urls")),
    path("casework/", include("securityunion.casework.urls")),
    path("notifications/", include("securityunion.notifications.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    # Company API: OAuth 2 client credentials only; the token endpoint is throttled.
    path("o/token/", ThrottledTokenView.as_view(), name="oauth2_token"),
    path("o/revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="oauth2_revoke_token"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", api_schema, name="api_schema"),
    path("api/docs/", api_docs_page, name="api_docs"),
]

# The error pages in the site's layout (templates/403.html and 404.html through Django's own
# handlers; the 500 page needs neither a request context nor the database).
handler500 = "securityunion.views.server_error"
