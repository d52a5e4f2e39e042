"""The import engine shared by every ledger (see ``spec`` for what a ledger provides)."""

from .fastinsert import RowBuilder, insert_columns, insert_rows, insert_rows_with_keys
from .header import HEADER_SCAN_ROWS, detect_header, match_header
from .reading import BATCH, MAX_CELL, ReaderStopped, compact_key
from .run import GC_THRESHOLD, MAX_STORED_ERRORS, Outcome, RejectedRows, run
from .spec import Column, Context, ImportSpec, Row, aliases

__all__ = [
    "BATCH", "GC_THRESHOLD", "HEADER_SCAN_ROWS", "MAX_CELL", "MAX_STORED_ERRORS", "Column",
    "Context", "ImportSpec", "Outcome", "ReaderStopped", "RejectedRows", "Row", "RowBuilder",
    "aliases", "compact_key", "detect_header", "insert_columns", "insert_rows",
    "insert_rows_with_keys", "match_header", "run",
]
