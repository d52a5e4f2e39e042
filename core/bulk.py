"""Writes of many rows computed from other rows, in the database: INSERT … SELECT, so that
nothing is read into Python and no row crosses the connection (a reform hands over the
history of 200,000 people in a few statements)."""

from django.db import connection


def insert_select(model, columns: tuple[str, ...], rows) -> int:
    """Insert into ``model``'s table, ``columns`` (their database names), the rows of the
    queryset ``rows`` (a ``values_list`` of as many expressions, in that order). Returns
    the number of rows inserted."""
    sql, params = rows.query.sql_with_params()
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)  # noqa: S608 - quoted
        return cursor.rowcount
