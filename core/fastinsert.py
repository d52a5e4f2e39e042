"""Inserting many rows by the database's fastest path: COPY on PostgreSQL, executemany on
SQLite. Used by imports (and by the benchmark as the baseline the imports are measured
against). The caller has validated the rows; this only writes them."""

from django.db import connection, models


def insert_columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _adapter(field):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    return None


def row_adapter(fields: list[models.Field]):
    """A function making a row of Python values ready for insert_rows(adapted=True): dates,
    times, decimals and JSON as the database's driver takes them (text on SQLite; ISO text,
    which COPY reads, on PostgreSQL). Rows are adapted where they are built (the process
    that reads an import's file) so that what crosses to the database side is plain text."""
    adapters = [(i, a) for i, a in enumerate(_adapter(f) for f in fields) if a is not None]
    if connection.vendor == "postgresql":
        adapters = [(i, _iso(a)) for i, a in adapters]

    def adapt(row: tuple) -> tuple:
        if not adapters:
            return row
        row = list(row)
        for i, function in adapters:
            if row[i] is not None:
                row[i] = function(row[i])
        return tuple(row)
    return adapt


def _iso(adapt):
    def text(value):
        value = adapt(value)
        return value.isoformat() if hasattr(value, "isoformat") else value
    return text


def insert_rows(model, fields: list[models.Field], rows, *, adapted: bool = False) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table; ``adapted``:
    the rows have been through row_adapter already."""
    rows = list(rows)
    if not rows:
        return 0
    if not adapted:
        rows = list(map(row_adapter(fields), rows))
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, rows)  # quoted model identifiers, values as parameters
    return len(rows)


def existing(model, field_name: str, values) -> set:
    """Which of ``values`` a column of ``model`` already holds: one indexed query per 10,000
    values, without the ORM's per-value work (an import asks this of every batch)."""
    values = list({v for v in values if v not in (None, "")})
    if not values:
        return set()
    field = model._meta.get_field(field_name)
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(field.column)
    found = set()
    with connection.cursor() as cursor:
        for start in range(0, len(values), 10_000):
            chunk = values[start:start + 10_000]
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT {column} FROM {table} WHERE {column} = ANY(%s)",  # noqa: S608
                               [chunk])
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IN ({marks})",  # noqa: S608
                               chunk)
            found.update(value for (value,) in cursor.fetchall())
    return found
