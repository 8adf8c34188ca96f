from django.urls import path

from . import views

urlpatterns = [
    path("instances/<str:pk>", views.InstanceDetail.as_view(), name="instance-detail"),
    path("images/<str:pk>", views.ImageDetail.as_view(), name="image-detail"),
]
