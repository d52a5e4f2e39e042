"""What the benchmarks time with: the best of a few runs, and the queries a piece of work asks
(counted through connection.execute_wrapper, whatever DEBUG says), each with its time."""

import time


def best(function, repeat: int = 3) -> float:
    """The shortest of ``repeat`` runs of ``function``, in seconds."""
    fastest = None
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        took = time.perf_counter() - start
        fastest = took if fastest is None else min(fastest, took)
    return fastest


def counted(queries: list, execute, sql, params, many, context):
    """An execute wrapper: ``queries`` gets (seconds, sql) of each query asked
    (``functools.partial(counted, queries)``)."""
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        queries.append((time.perf_counter() - start, sql))
