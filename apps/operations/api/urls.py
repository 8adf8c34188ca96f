"""Before the inventory's urls: `/instances/delete` is a batch, not the instance `delete`."""

from django.urls import path

from . import views


def _instances(name: str, method: str):
    view = views.InstanceOperationView.as_view(
        operation=views.OPERATIONS[name], http_method_names=[method, "options"]
    )
    return path(f"instances/{name}", view, name=f"instances-{name}")


urlpatterns = [
    path("instances", views.LaunchView.as_view(), name="instances-launch"),
    _instances("delete", "post"),
    *(_instances(name, "put") for name in views.OPERATIONS if name != "delete"),
    path("instances/rename", views.RenameView.as_view(), name="instances-rename"),
    path("instances/resize/<str:flavor_id>", views.ResizeView.as_view(), name="instances-resize"),
    path("instances/rebuild/<str:image_id>", views.RebuildView.as_view(), name="instances-rebuild"),
    path("images", views.SnapshotView.as_view(), name="images-snapshot"),
    path("images/delete", views.ImageDeleteView.as_view(), name="images-delete"),
    path("actions/<str:pk>", views.ActionDetail.as_view(), name="action-detail"),
    path("notifications", views.NotificationList.as_view(), name="notifications"),
    path(
        "notifications/acknowledge",
        views.AcknowledgeView.as_view(),
        name="notifications-acknowledge",
    ),
]
