"""The OpenAPI description of POST /query. The view checks its body by hand (serializers.py)
and the engine shapes the results (execute.Result.as_wire); these serializers only describe
both for the schema."""

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers

from ..errors import EVALUATION_ERROR, MISSING_PARAMETERS, SUCCESS, SYNTAX_ERROR
from .serializers import NAME

SCALAR = {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}], "nullable": True}


@extend_schema_field(SCALAR)
class ScalarField(serializers.Field):
    """A string, a number, a boolean or null."""


class NamedParameterSerializer(serializers.Serializer):
    name = serializers.RegexField(NAME.pattern, help_text="Binds the placeholder `:name:`.")
    value = ScalarField()


class IndexedParameterSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        min_value=1, help_text="Binds the n-th `?` of the request, counted from 1."
    )
    value = ScalarField()


class QueryStatementSerializer(serializers.Serializer):
    sql = serializers.CharField(
        allow_blank=True, help_text="One or more SELECT statements, separated by `;`."
    )
    parameters = PolymorphicProxySerializer(
        component_name="QueryParameter",
        serializers=[NamedParameterSerializer, IndexedParameterSerializer],
        resource_type_field_name=None,
        many=True,
        required=False,
    )


class QueryRowSerializer(serializers.Serializer):
    value = serializers.ListField(child=ScalarField(), help_text="The row's values, in order.")


class QueryDataSerializer(serializers.Serializer):
    columnName = serializers.ListField(child=serializers.CharField())
    row = QueryRowSerializer(many=True)


class QueryResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[SUCCESS, SYNTAX_ERROR, MISSING_PARAMETERS, EVALUATION_ERROR]
    )
    count = serializers.IntegerField(min_value=0, help_text="The number of rows.")
    data = QueryDataSerializer()
    message = serializers.CharField(allow_blank=True, help_text="Why it failed; empty on success.")
    truncated = serializers.BooleanField(
        required=False,
        help_text="Present, and true, only when the result was cut at QUERY_MAX_ROWS rows.",
    )


query = extend_schema(
    summary="Read-only SQL over the inventory",
    description="A list of statements with their parameters in, one result per statement out "
    "(a `sql` holding several statements gives several results). The answer is 200 whatever "
    "the statements do: a statement that fails has its status and message in its result.",
    request=QueryStatementSerializer(many=True),
    responses={
        200: QueryResultSerializer(many=True),
        400: OpenApiResponse(
            description="Not a list of {sql, parameters}: an item without a string `sql`, a "
            "parameter without a value, with both or neither of `name` and `index`, ..."
        ),
        413: OpenApiResponse(description="The body is larger than 1 MiB."),
        415: OpenApiResponse(description="The Content-Type is not application/json."),
    },
    examples=[
        OpenApiExample(
            "Wiki example",
            request_only=True,
            value={
                "sql": "select id, name from projects where name regexp :name: order by name",
                "parameters": [{"name": "name", "value": "selenium"}],
            },
        ),
        OpenApiExample(
            "Two rows",
            response_only=True,
            value={
                "status": SUCCESS,
                "count": 2,
                "data": {
                    "columnName": ["id", "name"],
                    "row": [
                        {"value": ["3d6f17b9-584b-3169-819b-9241526a4b89", "selenium-one"]},
                        {"value": ["71609a7f-0641-36cc-b704-db3b5b76c78e", "selenium-two"]},
                    ],
                },
                "message": "",
            },
        ),
    ],
)
