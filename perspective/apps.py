from django.contrib.admin.apps import AdminConfig


class PerspectiveAdminConfig(AdminConfig):
    """django.contrib.admin, with Perspective's site as `admin.site`."""

    default_site = "perspective.admin.PerspectiveAdminSite"
