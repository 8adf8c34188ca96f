from django.urls import path

from ..metrics.views import MetricsView
from . import views

urlpatterns = [
    path("ping", views.ping, name="ping"),
    path("live", views.live, name="live"),
    path("version", views.version, name="version"),
    path("operations", views.operations, name="operations"),
    path("metrics", MetricsView.as_view(), name="metrics"),
]
