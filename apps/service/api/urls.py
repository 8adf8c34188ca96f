from django.urls import path

from . import views

urlpatterns = [
    path("ping", views.ping, name="ping"),
    path("version", views.version, name="version"),
    path("operations", views.operations, name="operations"),
]
