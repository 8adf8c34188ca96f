"""The admin site of Perspective: its index is the overview staff see first after logging in."""

from django.contrib import admin

from apps.service.overview import overview


class PerspectiveAdminSite(admin.AdminSite):
    site_header = site_title = "Perspective"
    index_title = "Overview"
    index_template = "admin/overview.html"
    site_url = None  # no "View site" link: the root serves the JSON API, not pages

    def index(self, request, extra_context=None):
        context = {"overview": overview(request.user), **(extra_context or {})}
        return super().index(request, context)
