"""The wiki's paths at the root, as the original served them; the admin under /admin/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("apps.service.api.urls")),
    path("", include("apps.query.api.urls")),
    path("", include("apps.operations.api.urls")),
    path("", include("apps.inventory.api.urls")),
]

handler400 = "perspective.errors.handler400"
handler404 = "perspective.errors.handler404"
handler500 = "perspective.errors.handler500"
