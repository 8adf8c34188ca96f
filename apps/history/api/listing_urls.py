"""The history's listing, under /api/."""

from django.urls import path

from . import listings

urlpatterns = [
    path("events/", listings.EventListing.as_view(), name="event-list"),
]
