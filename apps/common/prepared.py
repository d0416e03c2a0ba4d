"""Querysets compiled to SQL once per process and run again with other values (issue 18).

Django compiles a queryset to SQL on every evaluation. For the reads on every API request that was most of
their cost: compiling the API key lookup and a page of the scan list took about 40 % of a `GET /v1/scans`
(in-process CPU per request 3.7–4.2 ms before, 2.0–2.4 ms after; benchmarks/api_bench.py for the served
figures). A `PreparedValues` is written as an ordinary `.values()` queryset, so scoping stays the models' own
(`for_organization`), with named `Slot`s where per-request values go; it is compiled on first use on a
connection, and each run substitutes the values, adds the page (`LIMIT`/`OFFSET` as parameters) and turns rows
into the dicts `.values()` would give, through the same converters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Model, QuerySet


class Slot(str):
    """A named placeholder in a prepared queryset's filters; its value is given per run."""

    def __new__(cls, name: str) -> Slot:
        return super().__new__(cls, f"\x00slot:{name}\x00")

    def __init__(self, name: str):
        self.slot_name = name


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple  # a Slot where a run's value goes
    columns: tuple[str, ...]
    converters: dict  # column position -> (converters, expression), as the compiler applies them


class PreparedValues:
    """`build(slot)` returns a `.values()` queryset filtered with `slot("name")` placeholders; `run(**values)`
    returns its rows (dicts) with those values, optionally one page of them."""

    def __init__(self, build: Callable[[Callable[[str], Slot]], QuerySet]):
        self._build = build
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, using: str) -> _Compiled:
        queryset = self._build(Slot)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        columns = tuple(
            [*queryset.query.extra_select, *queryset.query.values_select, *queryset.query.annotation_select]
        )
        converters = compiler.get_converters([expression for expression, _, _ in compiler.select])
        return _Compiled(sql, tuple(params), columns, converters)

    def run(
        self, *, using: str = "default", limit: int | None = None, offset: int = 0, **values
    ) -> list[dict]:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        params = [values[p.slot_name] if isinstance(p, Slot) else p for p in compiled.params]
        sql = compiled.sql
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (functions, expression) in compiled.converters.items():
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
        return [dict(zip(compiled.columns, row, strict=True)) for row in rows]


def model_columns(model: type[Model], prefix: str = "") -> list[str]:
    """The `.values()` names of all the model's concrete fields (under `prefix`, e.g. "organization__" for a
    related one): what `instance_from_row` reads."""
    return [prefix + f.attname for f in model._meta.concrete_fields]


def instance_from_row(model: type[Model], row: dict, prefix: str = "", using: str = "default") -> Model:
    """A model instance from a `.values()` row holding `model_columns(model, prefix)`, as the ORM would have
    loaded it."""
    attnames = model_columns(model)
    return model.from_db(using, attnames, [row[prefix + name] for name in attnames])
