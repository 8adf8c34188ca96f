from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "apps.service"
    label = "service"
    verbose_name = "Service"

    def ready(self):
        from .metrics.access import allowed_networks

        allowed_networks()  # a malformed METRICS_ALLOWED_IPS stops the start, not a scrape
