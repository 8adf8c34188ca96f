"""The event stream and its tickets, at the root like the wiki's paths."""

from django.urls import path

from . import views

urlpatterns = [
    path("events/tickets", views.TicketView.as_view(), name="event-tickets"),
    path("events/stream", views.event_stream, name="event-stream"),
]
