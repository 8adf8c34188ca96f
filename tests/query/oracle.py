"""A differential oracle for /query: random statements (joins on the tables' keys, LEFT joins,
filters, GROUP BY, DISTINCT, IN and EXISTS subqueries, ORDER BY with LIMIT, functions), each
written as SQL for /query and answered again in Python from the inventory's plain tables, read
through the ORM (not through the views).

    tables = reference_tables()
    query = Generator(tables, seed=1).query()
    query.sql                              # for run_query
    query.answer(tables, visible_projects)  # the rows expected (None: every project)
"""

import math
import random
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from apps.inventory.models import (
    AvailabilityZone,
    Cloud,
    Flavor,
    Image,
    ImageMetadata,
    Instance,
    InstanceMetadata,
    Keypair,
    Network,
    Project,
    ProjectMetadata,
    Quota,
    Subnet,
)

TEXT, INT, BOOL, KEY = "text", "int", "bool", "key"
# Joins stop before they would make more rows than this (keeps Python's answer quick).
MAX_JOINED_ROWS = 25_000

# The columns the oracle uses of each table (a subset of the catalog's), with their kinds, and
# how they are read from the plain tables.
COLUMNS = {
    "instances": {
        "id": KEY,
        "name": TEXT,
        "project_id": KEY,
        "flavor_id": KEY,
        "image_id": KEY,
        "cloud_id": KEY,
        "state": TEXT,
        "availability_zone": TEXT,
    },
    "instance_metadata": {"instance_id": KEY, "key": TEXT, "value": TEXT},
    "instance_networks": {"instance_id": KEY, "network_id": KEY},
    "images": {"id": KEY, "name": TEXT, "cloud_id": KEY, "state": TEXT},
    "image_metadata": {"image_id": KEY, "key": TEXT, "value": TEXT},
    "project_images": {"project_id": KEY, "image_id": KEY},
    "projects": {"id": KEY, "name": TEXT, "cloud_id": KEY},
    "project_metadata": {"project_id": KEY, "key": TEXT, "value": TEXT},
    "project_quota": {"project_id": KEY, "instances": TEXT},
    "flavors": {
        "id": KEY,
        "project_id": KEY,
        "name": TEXT,
        "vcpus": INT,
        "ram": INT,
        "is_public": BOOL,
    },
    "networks": {"id": KEY, "project_id": KEY, "name": TEXT, "is_shared": BOOL},
    "network_subnets": {
        "id": KEY,
        "project_id": KEY,
        "network_id": KEY,
        "name": TEXT,
        "protocol_version": INT,
    },
    "keypairs": {"name": TEXT, "project_id": KEY},
    "availability_zones": {"name": TEXT, "project_id": KEY},
    "clouds": {"id": KEY, "name": TEXT, "type": TEXT},
}
# Every key of every table: (table, column) references (table, column).
KEYS = [
    ("instances", "project_id", "projects", "id"),
    ("instances", "flavor_id", "flavors", "id"),
    ("instances", "image_id", "images", "id"),
    ("instances", "cloud_id", "clouds", "id"),
    ("instance_metadata", "instance_id", "instances", "id"),
    ("instance_networks", "instance_id", "instances", "id"),
    ("instance_networks", "network_id", "networks", "id"),
    ("images", "cloud_id", "clouds", "id"),
    ("image_metadata", "image_id", "images", "id"),
    ("project_images", "project_id", "projects", "id"),
    ("project_images", "image_id", "images", "id"),
    ("projects", "cloud_id", "clouds", "id"),
    ("project_metadata", "project_id", "projects", "id"),
    ("project_quota", "project_id", "projects", "id"),
    ("flavors", "project_id", "projects", "id"),
    ("networks", "project_id", "projects", "id"),
    ("network_subnets", "network_id", "networks", "id"),
    ("network_subnets", "project_id", "projects", "id"),
    ("keypairs", "project_id", "projects", "id"),
    ("availability_zones", "project_id", "projects", "id"),
]


def _plain(value):
    return str(value) if isinstance(value, uuid.UUID) else value


def _rows(queryset, *names) -> list[dict]:
    return [
        dict(zip(names, map(_plain, values), strict=True))
        for values in queryset.values_list(*names)
    ]


def _keys(row: dict) -> dict:
    """A row of values(): ids as text, the cloud's name as cloud_id (as the views show them)."""
    row = {name: _plain(value) for name, value in row.items()}
    row["cloud_id"] = row.pop("cloud__name")
    return row


def _usage(used, limit):
    if used is None and limit is None:
        return None
    return f"{'' if used is None else used}/{'' if limit is None else limit}"


def reference_tables() -> dict[str, list[dict]]:
    """Every table of COLUMNS, rows as dicts, read from the inventory's own tables."""
    instance_networks = Instance.networks.through.objects
    project_images = Image.projects.through.objects
    return {
        "instances": [
            _keys(row)
            for row in Instance.objects.values(
                "id",
                "name",
                "project_id",
                "flavor_id",
                "image_id",
                "cloud__name",
                "state",
                "availability_zone",
            )
        ],
        "instance_metadata": _rows(InstanceMetadata.objects, "instance_id", "key", "value"),
        "instance_networks": _rows(instance_networks, "instance_id", "network_id"),
        "images": [
            _keys(row) for row in Image.objects.values("id", "name", "cloud__name", "state")
        ],
        "image_metadata": _rows(ImageMetadata.objects, "image_id", "key", "value"),
        "project_images": _rows(project_images, "project_id", "image_id"),
        "projects": [_keys(row) for row in Project.objects.values("id", "name", "cloud__name")],
        "project_metadata": _rows(ProjectMetadata.objects, "project_id", "key", "value"),
        "project_quota": [
            {"project_id": str(project), "instances": _usage(used, limit)}
            for project, used, limit in Quota.objects.values_list(
                "project_id", "instances_used", "instances_limit"
            )
        ],
        "flavors": _rows(Flavor.objects, "id", "project_id", "name", "vcpus", "ram", "is_public"),
        "networks": _rows(Network.objects, "id", "project_id", "name", "is_shared"),
        "network_subnets": _rows(
            Subnet.objects, "id", "project_id", "network_id", "name", "protocol_version"
        ),
        "keypairs": _rows(Keypair.objects, "name", "project_id"),
        "availability_zones": _rows(AvailabilityZone.objects, "name", "project_id"),
        "clouds": [
            {"id": name, "name": name, "type": kind}
            for name, kind in Cloud.objects.values_list("name", "type")
        ],
    }


def visible_rows(tables: dict[str, list[dict]], projects: set[str] | None) -> dict:
    """The rows of each table that a user seeing `projects` reads (None: every row), as the
    catalog defines it: by project, or through the table a row is linked to."""
    if projects is None:
        return tables
    seen = {
        name: [row for row in rows if row["project_id"] in projects]
        for name, rows in tables.items()
        if "project_id" in COLUMNS[name]
    }
    seen["projects"] = [row for row in tables["projects"] if row["id"] in projects]
    instances = {row["id"] for row in seen["instances"]}
    images = {row["image_id"] for row in seen["project_images"]}
    clouds = {row["cloud_id"] for row in seen["projects"]}
    for name, column, keys in (
        ("instance_metadata", "instance_id", instances),
        ("instance_networks", "instance_id", instances),
        ("images", "id", images),
        ("image_metadata", "image_id", images),
        ("clouds", "id", clouds),
    ):
        seen[name] = [row for row in tables[name] if row[column] in keys]
    return seen


# Expressions: each renders as SQL and evaluates on a joined row ({alias: row or None}).


@dataclass(frozen=True)
class Col:
    alias: str
    table: str
    name: str

    @property
    def kind(self) -> str:
        return COLUMNS[self.table][self.name]

    def sql(self) -> str:
        return f"{self.alias}.{self.name}"

    def value(self, joined: dict):
        row = joined[self.alias]
        return None if row is None else row[self.name]


def _lower(text: str) -> str:
    return "".join(letter.lower()[0] for letter in text)


def _upper(text: str) -> str:
    return "".join(u if len(u := letter.upper()) == 1 else letter for letter in text)


def _divide(a, b):
    return None if b == 0 else a / b


def _ln(a):
    return math.log(a) if a > 0 else None


def _mod(a, b):
    return None if b == 0 else math.fmod(a, b)


# name: (SQL template, Python function, argument kind, result kind)
FUNCTIONS = {
    "lower": ("lower({0})", _lower, TEXT, TEXT),
    "upper": ("upper({0})", _upper, TEXT, TEXT),
    "length": ("char_length({0})", len, TEXT, INT),
    "half": ("{0} / ({0} - 1)", lambda a: _divide(a, a - 1), INT, "float"),
    "ln": ("ln({0} - 1)", lambda a: _ln(a - 1), INT, "float"),
    "mod": ("mod({0}, {0} - 1)", lambda a: _mod(a, a - 1), INT, "float"),
}


@dataclass(frozen=True)
class Call:
    function: str
    column: Col

    @property
    def kind(self) -> str:
        return FUNCTIONS[self.function][3]

    def sql(self) -> str:
        return FUNCTIONS[self.function][0].format(self.column.sql())

    def value(self, joined: dict):
        argument = self.column.value(joined)
        return None if argument is None else FUNCTIONS[self.function][1](argument)


def _quote(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


_OPERATORS = {
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
}


@dataclass(frozen=True)
class Compare:
    left: Col | Call
    operator: str
    constant: object

    def sql(self) -> str:
        return f"{self.left.sql()} {self.operator} {_quote(self.constant)}"

    def value(self, joined: dict, tables: dict):
        left = self.left.value(joined)
        return None if left is None else _OPERATORS[self.operator](left, self.constant)


@dataclass(frozen=True)
class Like:
    column: Col
    pattern: str

    def sql(self) -> str:
        return f"{self.column.sql()} like {_quote(self.pattern)}"

    def value(self, joined: dict, tables: dict):
        text = self.column.value(joined)
        if text is None:
            return None
        expression = "".join(
            ".*" if c == "%" else "." if c == "_" else re.escape(c) for c in self.pattern
        )
        return re.fullmatch(expression, text, re.DOTALL) is not None


@dataclass(frozen=True)
class IsNull:
    column: Col
    negated: bool

    def sql(self) -> str:
        return f"{self.column.sql()} is {'not ' if self.negated else ''}null"

    def value(self, joined: dict, tables: dict):
        return (self.column.value(joined) is None) != self.negated


@dataclass(frozen=True)
class InList:
    column: Col
    constants: tuple

    def sql(self) -> str:
        return f"{self.column.sql()} in ({', '.join(map(_quote, self.constants))})"

    def value(self, joined: dict, tables: dict):
        value = self.column.value(joined)
        return None if value is None else value in self.constants


@dataclass(frozen=True)
class InSubquery:
    """`column IN (SELECT key FROM table x WHERE x.filter = constant)`."""

    column: Col
    table: str
    key: str
    filter: str
    constant: object

    def sql(self) -> str:
        return (
            f"{self.column.sql()} in (select x.{self.key} from {self.table} x "
            f"where x.{self.filter} = {_quote(self.constant)})"
        )

    def value(self, joined: dict, tables: dict):
        value = self.column.value(joined)
        if value is None:
            return None
        keys, has_null = _subquery(tables, self)
        if value in keys:
            return True
        return None if has_null else False


def _subquery(tables: dict, query: InSubquery) -> tuple[set, bool]:
    """The keys an IN subquery gives, and whether one is NULL: computed once per tables."""
    cache_key = (id(tables), query)
    if cache_key not in _INDEXES:
        keys = [r[query.key] for r in tables[query.table] if r[query.filter] == query.constant]
        _INDEXES[cache_key] = ({k for k in keys if k is not None}, None in keys)
    return _INDEXES[cache_key]


@dataclass(frozen=True)
class Exists:
    """`EXISTS (SELECT 1 FROM table x WHERE x.key = column)`, correlated."""

    column: Col
    table: str
    key: str
    negated: bool

    def sql(self) -> str:
        return (
            f"{'not ' if self.negated else ''}exists (select 1 from {self.table} x "
            f"where x.{self.key} = {self.column.sql()})"
        )

    def value(self, joined: dict, tables: dict):
        value = self.column.value(joined)
        found = value is not None and value in _index(tables, self.table, self.key)
        return found != self.negated


_INDEXES: dict = {}


def _index(tables: dict, table: str, column: str) -> dict:
    """Rows of `table` by `column`, built once per set of tables."""
    key = (id(tables), table, column)
    if key not in _INDEXES:
        index = defaultdict(list)
        for row in tables[table]:
            index[row[column]].append(row)
        _INDEXES[key] = index
    return _INDEXES[key]


@dataclass(frozen=True)
class Logic:
    operator: str  # "and", "or"
    parts: tuple

    def sql(self) -> str:
        return "(" + f" {self.operator} ".join(part.sql() for part in self.parts) + ")"

    def value(self, joined: dict, tables: dict):
        values = [part.value(joined, tables) for part in self.parts]
        decisive = self.operator == "or"
        if decisive in values:
            return decisive
        return None if None in values else not decisive


@dataclass(frozen=True)
class Join:
    kind: str  # "join" or "left join"
    alias: str
    table: str
    column: str  # of the joined table
    other: Col  # what it equals

    def sql(self) -> str:
        on = f"{self.alias}.{self.column} = {self.other.sql()}"
        return f"{self.kind} {self.table} {self.alias} on {on}"


@dataclass
class Query:
    table: str
    alias: str
    joins: list[Join] = field(default_factory=list)
    where: object = None
    shape: str = "rows"  # rows, distinct, group, count
    select: list = field(default_factory=list)  # Col or Call; the GROUP BY columns for "group"
    aggregates: list = field(default_factory=list)  # (function, Col or None)
    descending: list[bool] = field(default_factory=list)  # per ORDER BY item
    limit: int | None = None

    @property
    def sql(self) -> str:
        items = [f"{item.sql()} as c{n}" for n, item in enumerate(self.select)]
        items += [
            f"{_call(function, column)} as a{n}"
            for n, (function, column) in enumerate(self.aggregates)
        ]
        sql = f"select {'distinct ' if self.shape == 'distinct' else ''}{', '.join(items)}"
        sql += f" from {self.table} {self.alias}"
        sql += "".join(f" {join.sql()}" for join in self.joins)
        if self.where is not None:
            sql += f" where {self.where.sql()}"
        if self.shape == "group":
            sql += " group by " + ", ".join(item.sql() for item in self.select)
        if self.descending:
            order = [f"c{n}{' desc' if d else ''}" for n, d in enumerate(self.descending)]
            sql += " order by " + ", ".join(order)
        if self.limit is not None:
            sql += f" limit {self.limit}"
        return sql

    def ordered_by_text(self) -> bool:
        return any(item.kind == TEXT for item in self.select[: len(self.descending)])

    def answer(self, tables: dict) -> list[list]:
        """The rows this query gives over `tables` (already limited to the visible rows)."""
        joined = [{self.alias: row} for row in tables[self.table]]
        for join in self.joins:
            joined = _join(joined, join, _index(tables, join.table, join.column))
        if self.where is not None:
            joined = [row for row in joined if self.where.value(row, tables) is True]
        if self.shape == "count":
            return [[_aggregate(function, column, joined) for function, column in self.aggregates]]
        if self.shape == "group":
            groups = defaultdict(list)
            for row in joined:
                groups[tuple(item.value(row) for item in self.select)].append(row)
            rows = [
                [*key, *(_aggregate(f, c, members) for f, c in self.aggregates)]
                for key, members in groups.items()
            ]
        else:
            rows = [[item.value(row) for item in self.select] for row in joined]
            if self.shape == "distinct":
                rows = list({tuple(row): row for row in rows}.values())
        for index, descending in reversed(list(enumerate(self.descending))):
            present = [row for row in rows if row[index] is not None]
            present.sort(key=lambda row, i=index: row[i], reverse=descending)
            rows = present + [row for row in rows if row[index] is None]
        return rows[: self.limit] if self.limit is not None else rows


def _call(function: str, column: Col | None) -> str:
    if column is None:
        return f"{function}(*)"
    if function == "count distinct":
        return f"count(distinct {column.sql()})"
    return f"{function}({column.sql()})"


def _join(joined: list[dict], join: Join, index: dict) -> list[dict]:
    result = []
    for row in joined:
        value = join.other.value(row)
        matches = index.get(value, []) if value is not None else []
        if matches:
            result.extend({**row, join.alias: match} for match in matches)
        elif join.kind == "left join":
            result.append({**row, join.alias: None})
    return result


def _aggregate(function: str, column: Col | None, rows: list[dict]):
    if column is None:
        return len(rows)
    values = [v for v in (column.value(row) for row in rows) if v is not None]
    if function == "count":
        return len(values)
    if function == "count distinct":
        return len(set(values))
    if not values:
        return None
    return {"min": min, "max": max, "sum": sum}[function](values)


class Generator:
    """Random queries over `tables`, drawing constants from their values (so that filters
    select some rows)."""

    def __init__(self, tables: dict, seed: int):
        self.tables = tables
        self.random = random.Random(seed)

    def query(self) -> Query:
        table = self.random.choice(list(COLUMNS))
        query = Query(table, "t0")
        sources = [("t0", table)]
        rows = len(self.tables[table])
        for n in range(self.random.choice([0, 1, 1, 2, 2])):
            join, fan_out = self._join(sources, f"t{n + 1}")
            if join is None or rows * fan_out > MAX_JOINED_ROWS:
                break
            query.joins.append(join)
            sources.append((join.alias, join.table))
            rows *= fan_out
        if self.random.random() < 0.8:
            query.where = self._condition(sources)
        self._shape(query, sources)
        return query

    def key_join(self, key: tuple, kind: str, reverse: bool) -> Query:
        """The join on one key, from either side, with a filter on the first table."""
        child, column, parent, key_column = key
        if reverse:
            query = Query(parent, "t0")
            query.joins.append(Join(kind, "t1", child, column, Col("t0", parent, key_column)))
        else:
            query = Query(child, "t0")
            query.joins.append(Join(kind, "t1", parent, key_column, Col("t0", child, column)))
        sources = [("t0", query.table), ("t1", query.joins[0].table)]
        self._shape(query, sources, shape="rows")
        return query

    def _join(self, sources: list, alias: str) -> tuple[Join | None, float]:
        """A join on a key to one of `sources`, and how many rows it makes of one (about)."""
        options = []
        for source_alias, source in sources:
            for child, column, parent, key in KEYS:
                if child == source:
                    options.append((parent, key, Col(source_alias, source, column), 1))
                if parent == source:
                    fan_out = len(self.tables[child]) / max(len(self.tables[parent]), 1)
                    options.append((child, column, Col(source_alias, source, key), fan_out))
        if not options:
            return None, 1
        table, column, other, fan_out = self.random.choice(options)
        kind = self.random.choice(["join", "left join"])
        return Join(kind, alias, table, column, other), max(fan_out, 1)

    def _column(self, sources: list, kinds=(TEXT, INT, BOOL, KEY)) -> Col:
        alias, table = self.random.choice(sources)
        names = [n for n, kind in COLUMNS[table].items() if kind in kinds]
        if not names:
            names = list(COLUMNS[table])
        return Col(alias, table, self.random.choice(names))

    def _constant(self, column: Col):
        values = [row[column.name] for row in self.tables[column.table]]
        values = [value for value in values if value is not None]
        return self.random.choice(values) if values else "absent"

    def _condition(self, sources: list):
        parts = [self._predicate(sources) for _ in range(self.random.choice([1, 1, 2, 3]))]
        if len(parts) == 1:
            return parts[0]
        return Logic(self.random.choice(["and", "and", "or"]), tuple(parts))

    def _predicate(self, sources: list):
        column = self._column(sources)
        choice = self.random.random()
        if choice < 0.35 or column.kind == BOOL:
            operator = "=" if column.kind in (KEY, BOOL) else self.random.choice(list(_OPERATORS))
            return Compare(column, operator, self._constant(column))
        if choice < 0.45 and column.kind == TEXT:
            return Compare(
                Call(self.random.choice(["lower", "upper"]), column),
                "=",
                _lower(str(self._constant(column))),
            )
        if choice < 0.55 and column.kind == TEXT:
            text = re.sub(r"[%_\\\\]", "", str(self._constant(column)))
            cut = self.random.randrange(len(text) + 1)
            return Like(
                column, self.random.choice([text[:cut] + "%", "%" + text[cut:], "_" + text[1:]])
            )
        if choice < 0.62:
            return IsNull(column, self.random.random() < 0.5)
        if choice < 0.75:
            return InList(column, tuple(self._constant(column) for _ in range(3)))
        if choice < 0.88:
            return self._in_subquery(column)
        return self._exists(column)

    def _in_subquery(self, column: Col):
        options = [
            (t, k)
            for t, columns in COLUMNS.items()
            for k, kind in columns.items()
            if kind == column.kind and kind != BOOL
        ]
        table, key = self.random.choice(options or [(column.table, column.name)])
        filter_name = self.random.choice(list(COLUMNS[table]))
        constant = self._constant(Col("x", table, filter_name))
        return InSubquery(column, table, key, filter_name, constant)

    def _exists(self, column: Col):
        links = [(c, k) for c, k, p, pk in KEYS if (p, pk) == (column.table, column.name)]
        links += [(p, pk) for c, k, p, pk in KEYS if (c, k) == (column.table, column.name)]
        if not links:
            return IsNull(column, True)
        table, key = self.random.choice(links)
        return Exists(column, table, key, self.random.random() < 0.3)

    def _shape(self, query: Query, sources: list, shape: str | None = None) -> None:
        query.shape = shape or self.random.choice(["rows", "rows", "distinct", "group", "count"])
        if query.shape == "count":
            query.aggregates = [("count", None), ("count distinct", self._column(sources))]
            return
        query.select = [self._column(sources) for _ in range(self.random.choice([1, 2, 3]))]
        if query.shape != "group" and self.random.random() < 0.3:
            text = self._column(sources, kinds=(TEXT,))
            numbers = self._column(sources, kinds=(INT,))
            call = (
                Call(self.random.choice(["lower", "upper", "length"]), text)
                if text.kind == TEXT
                else None
            )
            if numbers.kind == INT and self.random.random() < 0.5:
                call = Call(self.random.choice(["half", "ln", "mod"]), numbers)
            if call is not None:
                query.select.append(call)
        if query.shape == "group":
            query.aggregates = [("count", None)]
            measured = self._column(sources, kinds=(TEXT, INT))
            if measured.kind in (TEXT, INT):
                query.aggregates.append((self.random.choice(["min", "max"]), measured))
            if measured.kind == INT:
                query.aggregates.append(("sum", measured))
        query.descending = [self.random.random() < 0.3 for _ in query.select]
        query.limit = self.random.choice([1, 5, 20, 100, 300])
