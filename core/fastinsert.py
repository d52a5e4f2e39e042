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


def insert_rows(model, fields: list[models.Field], rows) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table."""
    rows = list(rows)
    if not rows:
        return 0
    adapters = [(i, a) for i, a in enumerate(_adapter(f) for f in fields) if a is not None]
    if adapters:
        adapted = []
        for row in rows:
            row = list(row)
            for i, adapt in adapters:
                if row[i] is not None:
                    row[i] = adapt(row[i])
            adapted.append(row)
        rows = adapted
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
