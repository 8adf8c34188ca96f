"""The wiki's batch endpoints of /instances and /images, GET /actions/{id},
GET /notifications and POST /notifications/acknowledge: thin views over the services."""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import APIException
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.clouds.choices import Operation
from apps.inventory.access import access_of
from apps.jsonapi.views import JsonBodyView, PublicIdLookup

from .. import acknowledgement, services
from ..filtersets import NotificationFilterSet
from ..models import Action, Notification
from ..visibility import visible_actions, visible_items_of
from . import schema
from .serializers import (
    ActionSerializer,
    IdListField,
    LaunchSerializer,
    NameMapField,
    NotificationIdListField,
    NotificationSerializer,
    SnapshotSerializer,
    many,
)


class MayOperate(BasePermission):
    message = "Your grants let you view, not act: an operator role is needed"

    def has_permission(self, request, view):
        return access_of(request.user).may_operate


class BatchView(JsonBodyView, APIView):
    """A write on a list of ids, for operators; a batch action answers
    `{actionId, queued, skipped}`."""

    permission_classes = [IsAuthenticated, MayOperate]
    throttle_scope = "actions"
    id_list_field = IdListField

    def ids(self, request) -> list:
        return self.id_list_field().run_validation(self.body())

    def respond(self, outcome: services.BatchOutcome) -> Response:
        return Response(outcome.as_wire())

    def handle_exception(self, exc):
        if isinstance(exc, services.ActionError):
            refused = APIException(str(exc))
            refused.status_code = exc.status
            exc = refused
        return super().handle_exception(exc)

    @property
    def user(self):
        return self.request.user


class InstanceOperationView(BatchView):
    """PUT /instances/reboot and the like, POST /instances/delete: a list of instance ids."""

    operation = ""

    @schema.reboot_and_the_like
    @schema.delete_instances
    def put(self, request):
        return self.respond(services.instance_action(self.operation, self.ids(request), self.user))

    post = put  # POST /instances/delete; urls.py allows each path only its wiki method


class ResizeView(BatchView):
    @schema.resize
    def put(self, request, flavor_id):
        return self.respond(services.resize(self.ids(request), flavor_id, self.user))


class RebuildView(BatchView):
    @schema.rebuild
    def put(self, request, image_id):
        return self.respond(services.rebuild(self.ids(request), image_id, self.user))


class RenameView(BatchView):
    @schema.rename
    def put(self, request):
        names = NameMapField().run_validation(self.body())
        return self.respond(services.rename(names, self.user))


class LaunchView(BatchView):
    @schema.launch
    def post(self, request):
        specs = many(LaunchSerializer, self.body(), "instance")
        return self.respond(services.launch(specs, self.user))


class SnapshotView(BatchView):
    @schema.snapshot
    def post(self, request):
        specs = many(SnapshotSerializer, self.body(), "image")
        return self.respond(services.snapshot(specs, self.user))


class ImageDeleteView(BatchView):
    @schema.delete_images
    def post(self, request):
        return self.respond(services.delete_images(self.ids(request), self.user))


@schema.action
class ActionDetail(PublicIdLookup, RetrieveAPIView):
    queryset = Action.objects.select_related("requested_by")
    serializer_class = ActionSerializer
    noun = "Action"

    def get_queryset(self):
        user = self.request.user
        items = Prefetch("items", queryset=visible_items_of(user))
        return visible_actions(user, super().get_queryset()).prefetch_related(items)


@schema.notifications
class NotificationList(ListAPIView):
    """Failure letters in the order they were written: those after `since` (at most LIMIT),
    or the latest LIMIT."""

    LIMIT = 1000
    serializer_class = NotificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilterSet
    queryset = Notification.objects.all()

    def get_queryset(self):
        return access_of(self.request.user).visible(super().get_queryset(), "item__project")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if "since" in self.request.query_params:
            return queryset.order_by("created_at", "id")[: self.LIMIT]
        latest = queryset.order_by("-created_at", "-id").values("id")[: self.LIMIT]
        return queryset.filter(id__in=latest).order_by("created_at", "id")


class AcknowledgeView(BatchView):
    """POST /notifications/acknowledge: a list of notification ids. A write, so for operators,
    throttled with the batch actions."""

    id_list_field = NotificationIdListField

    @schema.acknowledge
    def post(self, request):
        count = acknowledgement.acknowledge(self.ids(request), self.user)
        return Response({"acknowledged": count})


OPERATIONS = {
    "delete": Operation.DELETE_INSTANCE,
    "reboot": Operation.REBOOT_INSTANCE,
    "hard-reboot": Operation.HARD_REBOOT_INSTANCE,
    "start": Operation.START_INSTANCE,
    "shutdown": Operation.SHUTDOWN_INSTANCE,
    "pause": Operation.PAUSE_INSTANCE,
    "resume": Operation.RESUME_INSTANCE,
    "suspend": Operation.SUSPEND_INSTANCE,
}
