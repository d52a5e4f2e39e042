"""Finding the header row of a ledger (under a title, over merged cells) and the field each
of its columns names."""

from core import cells
from core.text import normalise_text

HEADER_SCAN_ROWS = 20


def _clean_header(value) -> str:
    text = normalise_text(value)
    return "".join(text.split()).replace("(", "（").replace(")", "）")


def match_header(spec, text: str) -> str | None:
    """The field a header text names, if any."""
    text = _clean_header(text)
    if not text:
        return None
    for column in spec.columns:
        if text in column.aliases or text == column.field:
            return column.field
    return None


def _with_merged(cells_row: list, previous: list | None) -> list[list[str]]:
    """The texts that may name each column: its own cell and, for a two-row header, the
    cell above it carried right across a merged range (merged cells are empty but the first)."""
    width = max(len(cells_row), len(previous or []))
    carried, last = [], ""
    for i in range(width):
        above = _clean_header(previous[i]) if previous and i < len(previous) else ""
        last = above or last
        carried.append(above or last)
    texts = []
    for i in range(width):
        own = _clean_header(cells_row[i]) if i < len(cells_row) else ""
        up = carried[i] if previous else ""
        texts.append([t for t in (own, up + own if own else "", up) if t])
    return texts


def detect_header(spec, head: list[tuple[int, list]]) -> tuple[int, dict[int, str]]:
    """(header row number, {column index: field}) for the first rows of a sheet: the row
    whose cells name the most columns wins."""
    best_row, best_map = 0, {}
    previous = None
    for number, row in head[:HEADER_SCAN_ROWS]:
        mapping: dict[int, str] = {}
        for index, texts in enumerate(_with_merged(row, previous)):
            for text in texts:
                name = match_header(spec, text)
                if name and name not in mapping.values():
                    mapping[index] = name
                    break
        if len(mapping) > len(best_map):
            best_row, best_map = number, mapping
        if any(not cells.is_blank(c) for c in row):
            previous = row
    return best_row, best_map
