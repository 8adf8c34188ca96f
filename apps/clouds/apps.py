from django.apps import AppConfig


class CloudsConfig(AppConfig):
    name = "apps.clouds"
    label = "clouds"
    verbose_name = "Clouds"

    def ready(self):
        from .drivers import openstack  # noqa: F401 (registers the driver)
