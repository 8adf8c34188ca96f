"""The shape of a POST /query body: a list of {sql, parameters: [{name|index, value}]}.

Checked by hand rather than with DRF serializers: it is the one request every listing makes,
and a serializer's per-field machinery cost more than running a lookup by id.
"""

import re

from rest_framework.exceptions import ValidationError

from ..engine import QueryRequest

NAME = re.compile(r"^[A-Za-z0-9_.]+$")
SCALARS = (str, int, float, bool, type(None))


def query_requests(data) -> list[QueryRequest]:
    if not isinstance(data, list):
        raise ValidationError("Expected a list of {sql, parameters} objects")
    return [_request(item, f"[{position}]") for position, item in enumerate(data)]


def _request(item, where: str) -> QueryRequest:
    if not isinstance(item, dict) or not isinstance(item.get("sql"), str):
        raise ValidationError(f"{where}: expected an object with a string sql")
    parameters = item.get("parameters", [])
    if not isinstance(parameters, list):
        raise ValidationError(f"{where}.parameters: expected a list")
    return QueryRequest(
        item["sql"],
        [_parameter(p, f"{where}.parameters[{n}]") for n, p in enumerate(parameters)],
    )


def _parameter(parameter, where: str) -> dict:
    if not isinstance(parameter, dict) or "value" not in parameter:
        raise ValidationError(f"{where}: expected an object with a value")
    if not isinstance(parameter["value"], SCALARS):
        raise ValidationError(f"{where}.value: must be a string, a number, a boolean or null")
    name, index = parameter.get("name"), parameter.get("index")
    if (name is None) == (index is None):
        raise ValidationError(f"{where}: give either a name or an index")
    if name is not None and not (isinstance(name, str) and NAME.match(name)):
        raise ValidationError(f"{where}.name: letters, digits, '_' and '.' only")
    if index is not None and not (type(index) is int and index >= 1):
        raise ValidationError(f"{where}.index: a whole number from 1")
    key = {"name": name} if name is not None else {"index": index}
    return {**key, "value": parameter["value"]}
