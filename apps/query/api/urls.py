from django.urls import path

from . import views

urlpatterns = [path("query", views.QueryView.as_view(), name="query")]
