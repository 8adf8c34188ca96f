"""The listing of actions, under /api/."""

from django.urls import path

from . import listings

urlpatterns = [
    path("actions/", listings.ActionListing.as_view(), name="action-list"),
]
