"""What JSON views inherit: the body reader and the lookup by public id."""

from rest_framework.exceptions import NotFound

from .body import read_json
from .ids import parse_id


class JsonBodyView:
    """An APIView mixin: `self.body()` is the request's body, read by `read_json`."""

    def body(self):
        return read_json(self.request)


class PublicIdLookup:
    """A detail view's `get_object` by the public id in the URL: an unknown or malformed id,
    or one the user may not see (get_queryset leaves it out), is 404 naming it."""

    noun = ""

    def get_object(self):
        pk = self.kwargs["pk"]
        public_id = parse_id(pk)
        found = self.get_queryset().filter(pk=public_id).first() if public_id else None
        if found is None:
            raise NotFound(f"{self.noun} {pk} does not exist")
        self.check_object_permissions(self.request, found)
        return found
