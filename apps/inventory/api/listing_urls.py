"""The inventory's listings, under /api/."""

from django.urls import path

from . import listings

urlpatterns = [
    path("instances/", listings.InstanceListing.as_view(), name="instance-list"),
    path("images/", listings.ImageListing.as_view(), name="image-list"),
    path("projects/", listings.ProjectListing.as_view(), name="project-list"),
    path("flavors/", listings.FlavorListing.as_view(), name="flavor-list"),
    path("networks/", listings.NetworkListing.as_view(), name="network-list"),
    path("clouds/", listings.CloudListing.as_view(), name="cloud-list"),
]
