"""Inserting many rows by the database's fastest path: COPY on PostgreSQL, executemany on
SQLite. Used by imports (and by the benchmark as the baseline the imports are measured
against). The caller has validated the rows; this only writes them."""

import functools
import json

from django.db import connection, models


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


def _tuple_adapter(fields: list[models.Field]):
    """Tuples of Python values (in the order of ``fields``) with dates, times, decimals and
    JSON as the driver takes them (for executemany, and psycopg's own COPY of rows)."""
    adapters = [(i, a if isinstance(f, models.JSONField) else _cached(a))
                for i, (f, a) in enumerate((f, _adapter(f)) for f in fields) if a is not None]

    def adapt(row: tuple) -> tuple:
        if not adapters:
            return row
        row = list(row)
        for i, function in adapters:
            if row[i] is not None:
                row[i] = function(row[i])
        return tuple(row)
    return adapt


def _cached(adapt):
    # Dates repeat (every row of an import has the same time stamp, and birth dates recur):
    # each distinct value is adapted once. (JSON values are not hashable, nor cached.)
    return functools.lru_cache(maxsize=65536)(adapt)


class RowBuilder:
    """Rows for insert_rows(encoded=True), built from a dict of field values per row ({field
    name: value}; a foreign key by its name, with the key): on PostgreSQL a line of COPY text
    (bytes), on SQLite a tuple with dates, times, decimals and JSON as its driver takes them.
    A column the dict does not give (or gives as None) gets its blank: NULL, the field's
    default, or ""; an empty text in a nullable column is NULL (so unique columns do not
    collide on ""); ``fixed`` values are the same in every row, whatever the dict says;
    names that are not columns are ignored. Each row is built once, straight into what the
    database takes, where the rows are checked (the process that reads an import's file),
    so what crosses to the database side is ready to write and cheap to send."""

    def __init__(self, fields: list[models.Field], fixed: dict | None = None, *,
                 copy: bool | None = None):
        fixed = fixed or {}
        self.copy = connection.vendor == "postgresql" if copy is None else copy
        self.width = len(fields)
        self.positions = {f.name: i for i, f in enumerate(fields) if f.name not in fixed}
        self.nullable = frozenset(i for i, f in enumerate(fields) if f.null)
        self.convert = [self._converter(f) for f in fields]
        blank = [fixed[f.name] if f.name in fixed else _blank(f) for f in fields]
        self.template = [self._encode(i, v) for i, v in enumerate(blank)]

    def _converter(self, field):
        adapt = _adapter(field, copy=self.copy)
        if not self.copy:
            return adapt and (adapt if isinstance(field, models.JSONField) else _cached(adapt))
        if adapt is None:
            return str  # COPY reads True/False as booleans, numbers as they print
        if isinstance(field, models.JSONField):
            return adapt
        return _cached(_iso(adapt))

    def _encode(self, i: int, value):
        if value is None or (value == "" and i in self.nullable):
            return _NUL if self.copy else None
        if value == "":
            return value  # the blank of a text column (a row must give any other column)
        convert = self.convert[i]
        return convert(value) if convert is not None else value

    def __call__(self, values: dict):
        parts = self.template.copy()
        positions, nullable, convert = self.positions, self.nullable, self.convert
        null = _NUL if self.copy else None
        for name, value in values.items():
            i = positions.get(name)
            if i is None or value is None:
                continue
            if value == "" and i in nullable:
                parts[i] = null
            else:
                function = convert[i]
                parts[i] = function(value) if function is not None else value
        if not self.copy:
            return tuple(parts)
        # Most rows need no escaping: no tab, newline or backslash in any value (the only
        # tabs are the separators) and no NUL but those standing for NULL, which become \N.
        text = "\t".join(parts)
        if (text.count("\t") == self.width - 1 and "\\" not in text and "\n" not in text
                and "\r" not in text and text.count(_NUL) == parts.count(_NUL)):
            return (text.replace(_NUL, _NULL) + "\n").encode()
        return ("\t".join(_NULL if p is _NUL else p.translate(_COPY_ESCAPES) for p in parts)
                + "\n").encode()


def _blank(field):
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    return ""


_NUL = "\0"  # NULL, while a COPY line is built
_NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _iso(adapt):
    def text(value):
        value = adapt(value)
        return value.isoformat() if hasattr(value, "isoformat") else value
    return text


def insert_rows(model, fields: list[models.Field], rows, *, encoded: bool = False) -> int:
    """Insert ``rows`` into ``model``'s table: tuples in the order of ``fields`` or, with
    ``encoded``, what a RowBuilder of the same fields made."""
    rows = list(rows)
    if rows:
        _insert(model, fields, rows, encoded=encoded, keys=None)
    return len(rows)


def insert_rows_with_keys(model, fields: list[models.Field], rows, *,
                          encoded: bool = False) -> list[int]:
    """insert_rows, returning the primary key given to each row, in the order of ``rows``
    (what the rows' own history and counts then refer to, without reading them back). On
    PostgreSQL the keys are taken from the table's sequence first (one query) and written
    with the rows; on SQLite they are the rowids the inserts were given, consecutive: the
    import's transaction holds the database's one write lock (transaction_mode IMMEDIATE)."""
    rows = list(rows)
    if not rows:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                           [_sequence(model), len(rows)])
            keys = [row[0] for row in cursor.fetchall()]
        _insert(model, fields, rows, encoded=encoded, keys=keys)
        return keys
    _insert(model, fields, rows, encoded=encoded, keys=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
    return list(range(last - len(rows) + 1, last + 1))


_SEQUENCES: dict = {}


def _sequence(model) -> str:
    """The name of the sequence of ``model``'s primary key (PostgreSQL), asked once."""
    where = (connection.settings_dict["NAME"], model._meta.db_table)
    if where not in _SEQUENCES:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)",
                           [connection.ops.quote_name(model._meta.db_table),
                            model._meta.pk.column])
            _SEQUENCES[where] = cursor.fetchone()[0]
    return _SEQUENCES[where]


def _insert(model, fields, rows: list, *, encoded: bool, keys: list[int] | None) -> None:
    """Write ``rows``; on PostgreSQL with ``keys``, each row's primary key first."""
    if not encoded and connection.vendor != "postgresql":
        rows = list(map(_tuple_adapter(fields), rows))
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if keys is not None:
                columns = f"{qn(model._meta.pk.column)}, {columns}"
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                if encoded and keys is None:
                    copy.write(b"".join(rows))
                elif encoded:
                    copy.write(b"".join([b"%d\t%b" % pair for pair in zip(keys, rows,
                                                                           strict=True)]))
                else:  # psycopg formats each row (in C): faster than encoding them here
                    adapt = _tuple_adapter(fields)
                    if keys is None:
                        for row in rows:
                            copy.write_row(adapt(row))
                    else:
                        for key, row in zip(keys, rows, strict=True):
                            copy.write_row((key, *adapt(row)))
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, rows)  # quoted model identifiers, values as parameters
