"""The admin site of Perspective: its index is the overview staff see first after logging in."""

from django.contrib import admin

from apps.inventory.fields import touches_secret
from apps.service.overview import overview


class SecretsUnsearchable:
    """No change list filters, searches or sorts on a secret: a URL lookup such as
    `?password__regex=^gAAAA` is refused (400) whatever its pattern, in every admin, Django's
    own (users, tokens) included."""

    def lookup_allowed(self, lookup, value, request=None):
        return not touches_secret(self.model, lookup) and super().lookup_allowed(
            lookup, value, request
        )

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return [name for name in fields if not touches_secret(self.model, name.lstrip("^=@"))]

    def get_sortable_by(self, request):
        fields = super().get_sortable_by(request)
        return [name for name in fields if not touches_secret(self.model, str(name))]


class PerspectiveAdminSite(admin.AdminSite):
    site_header = site_title = "Perspective"
    index_title = "Overview"
    index_template = "admin/overview.html"
    site_url = None  # no "View site" link: the root serves the JSON API, not pages

    def index(self, request, extra_context=None):
        context = {"overview": overview(request.user), **(extra_context or {})}
        return super().index(request, context)

    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        guarded = type(base.__name__, (SecretsUnsearchable, base), {"__module__": base.__module__})
        super().register(model_or_iterable, guarded, **options)
