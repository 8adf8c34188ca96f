"""The sync runs and the sync of a cloud, under /api/."""

from django.urls import path

from . import listings, views

urlpatterns = [
    path("syncs/", listings.SyncRunListing.as_view(), name="sync-list"),
    path("clouds/<str:name>/sync", views.SyncView.as_view(), name="cloud-sync"),
]
