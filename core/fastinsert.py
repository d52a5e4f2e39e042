"""Inserting many rows by the database's fastest path: COPY on PostgreSQL, executemany on
SQLite. Used by imports (and by the benchmark as the baseline the imports are measured
against). The caller has validated the rows; this only writes them."""

import functools
import json
from collections.abc import Iterable

from django.db import connection, models

CHUNK = 5_000  # values of each column in one query (SQLite allows 32,766 parameters)


def insert_columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _adapter(field, *, copy: bool = False):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if isinstance(field, models.JSONField):
        if copy:
            return lambda v: json.dumps(v, cls=field.encoder)
        return lambda v: field.get_db_prep_save(v, connection)
    return None


def row_encoder(fields: list[models.Field], *, copy: bool | None = None):
    """A function making a row of Python values (a tuple in the order of ``fields``) into
    what insert_rows(encoded=True) takes: on PostgreSQL a line of COPY text (bytes); on
    SQLite a tuple with dates, times, decimals and JSON as its driver takes them. Rows are
    encoded where they are built (the process that reads an import's file), so what
    crosses to the database side is ready to write, and cheap to send. (``copy=False``:
    the adapted tuple on PostgreSQL too, for psycopg's own COPY of rows.)"""
    if copy is None:
        copy = connection.vendor == "postgresql"
    adapters = [(i, a, isinstance(f, models.JSONField))
                for i, (f, a) in enumerate((f, _adapter(f, copy=copy)) for f in fields)
                if a is not None]
    if copy:
        adapters = [(i, _iso(a), json) for i, a, json in adapters]
    # Dates repeat (every row of an import has the same time stamp, and birth dates recur):
    # each distinct value is adapted once. JSON values are not hashable, nor remembered.
    adapters = [(i, a if json else functools.lru_cache(maxsize=65536)(a))
                for i, a, json in adapters]

    def adapt(row: tuple) -> tuple:
        if not adapters:
            return row
        row = list(row)
        for i, function in adapters:
            if row[i] is not None:
                row[i] = function(row[i])
        return tuple(row)

    if not copy:
        return adapt

    width = len(fields)

    def line(row: tuple) -> bytes:
        # COPY reads \N as NULL and True/False as booleans. Most rows need no escaping: no
        # tab, newline or backslash in any value (the only tabs are the separators) and no
        # NUL but those standing for None, which become \N.
        row = adapt(row)
        text = "\t".join(["\0" if v is None else str(v) for v in row])
        if (text.count("\t") == width - 1 and text.count("\0") == row.count(None)
                and "\\" not in text and "\n" not in text and "\r" not in text):
            return (text.replace("\0", _NULL) + "\n").encode()
        return ("\t".join(_NULL if v is None else str(v).translate(_COPY_ESCAPES) for v in row)
                + "\n").encode()
    return line


_NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _iso(adapt):
    def text(value):
        value = adapt(value)
        return value.isoformat() if hasattr(value, "isoformat") else value
    return text


def insert_rows(model, fields: list[models.Field], rows, *, encoded: bool = False) -> int:
    """Insert ``rows`` into ``model``'s table: tuples in the order of ``fields`` or, with
    ``encoded``, what row_encoder made of them."""
    rows = list(rows)
    if not rows:
        return 0
    if not encoded and connection.vendor != "postgresql":
        rows = list(map(row_encoder(fields), rows))
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                if encoded:
                    copy.write(b"".join(rows))
                else:  # psycopg formats each row (in C): faster than encoding them here
                    adapt = row_encoder(fields, copy=False)
                    for row in rows:
                        copy.write_row(adapt(row))
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, rows)  # quoted model identifiers, values as parameters
    return len(rows)


def existing(model, wanted: dict[str, Iterable]) -> dict[str, set]:
    """Which of the values wanted in each column of ``model`` the table already holds
    ({column's field name: values}): one indexed query per 5,000 values of each, asking of all
    the columns at once, without the ORM's per-value work (an import asks this of every
    batch)."""
    wanted = {name: list({v for v in values if v not in (None, "")})
              for name, values in wanted.items()}
    found: dict[str, set] = {name: set() for name in wanted}
    names = [name for name, values in wanted.items() if values]
    if not names:
        return found
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = [ops.quote_name(model._meta.get_field(name).column) for name in names]
    chunks = max(-(-len(wanted[name]) // CHUNK) for name in names)
    with connection.cursor() as cursor:
        for chunk in range(chunks):
            parts = [wanted[name][chunk * CHUNK:(chunk + 1) * CHUNK] for name in names]
            if connection.vendor == "postgresql":
                where = " OR ".join(f"{c} = ANY(%s)" for c in columns)
                params = parts
            else:
                where = " OR ".join(f"{c} IN ({', '.join(['%s'] * len(part))})"
                                    for c, part in zip(columns, parts, strict=True) if part)
                params = [v for part in parts for v in part]
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {where}",  # noqa: S608
                           params)  # quoted model identifiers, values as parameters
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    found[name].add(value)
    for name in names:
        found[name].intersection_update(wanted[name])
    return found
