from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from apps.common import views as common_views
from apps.devices.hooks import api as hooks_api

urlpatterns = [
    path("healthz", common_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-schema"),
    # The split view serves its start-up script as a file (no inline script); its page keeps one <style>.
    path(
        "v1/docs",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="openapi-schema")
        ),
        name="api-docs",
    ),
    path("v1/auth/", include("apps.accounts.api.urls")),
    path("v1/", include("apps.dossiers.api.urls")),
    path("v1/", include("apps.scans.api.urls")),
    path("v1/", include("apps.scans.api.prefill")),
    path("v1/", include("apps.studio.api.urls")),
    path("v1/", include("apps.devices.api.urls")),
    path("v1/", include("apps.proposals.api.urls")),
    path("v1/", include("apps.monitoring.api.urls")),
    re_path(r"^v1/(?P<rest>.*)$", common_views.api_not_found),
    path("hooks/", hooks_api.urls),
    path("", include("apps.proposals.urls")),
    path("", include("apps.portal.urls")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "apps.common.views.not_found"
handler500 = "apps.common.views.server_error"
