"""The wiki's paths at the root, as the original served them; the admin under /admin/."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("", include("apps.service.api.urls")),
    path("", include("apps.query.api.urls")),
    path("", include("apps.operations.api.urls")),
    path("", include("apps.inventory.api.urls")),
    path("", include("apps.history.api.urls")),
    path("api/", include("apps.operations.api.listing_urls")),
    path("api/", include("apps.inventory.api.listing_urls")),
    path("api/", include("apps.clouds.api.urls")),
    path("api/", include("apps.history.api.listing_urls")),
]

handler400 = "perspective.errors.handler400"
handler404 = "perspective.errors.handler404"
handler500 = "perspective.errors.handler500"
