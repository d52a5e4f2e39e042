"""A unit's ledger book for a year: every ledger it keeps (ledgers/registry.py) with the
year's count and what is missing, and the same for each unit beneath it (a township's
villages, a county's townships); printed as one PDF for the year-end inspection, a chapter
per unit.

Reads only: the user's scope decides the unit (a 404 outside it) and the user's
permissions which ledgers appear (a leader's book has no letters and visits). The counts
are one grouped query per ledger whatever the number of units; the printed chapters one
query per ledger for all the book's units."""

import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import FONT, Part, is_typeset, join_pdfs, typeset, typeset_cached
from orgs.models import Level, OrgUnit

from .registry import Ledger, ledgers


@dataclass
class Line:
    """One ledger of one unit: the year's count, the link to its list, what it lacks."""

    ledger: Ledger
    count: int
    url: str | None
    lacks: list[str] = field(default_factory=list)


@dataclass
class UnitBook:
    unit: OrgUnit
    lines: list[Line]
    row: list = field(default_factory=list)  # (ledger, line or None: not kept) per column

    @property
    def missing(self) -> list[str]:
        """Everything the unit's ledgers lack this year, as sentences."""
        return [f"{line.ledger.title}：{text}" for line in self.lines for text in line.lacks]

    @property
    def entries(self) -> int:
        return sum(line.count for line in self.lines)


@dataclass
class Book:
    unit: OrgUnit
    year: int
    own: UnitBook | None
    children: list[UnitBook]
    ledgers: list[Ledger]
    columns: list[Ledger] = field(default_factory=list)  # the children's table

    @property
    def units(self) -> list[UnitBook]:
        return ([self.own] if self.own else []) + self.children


def visible_ledgers(user) -> list[Ledger]:
    """The ledgers ``user`` may read (the view permission of each one's model)."""
    return [ledger for ledger in ledgers()
            if user.has_perm(f"{ledger.model._meta.app_label}.view_"
                             f"{ledger.model._meta.model_name}")]


def list_link(ledger: Ledger, unit, year: int) -> str | None:
    """The ledger's list, narrowed to ``unit`` and ``year`` where the list can be."""
    if ledger.link is not None:
        return ledger.link(unit, year)
    if not ledger.list_url:
        return None
    try:
        base = reverse(ledger.list_url)
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode({'unit': unit.pk, 'year': year})}"


def _lines(ledger_list, unit, year, counts, lacking) -> list[Line]:
    lines = []
    for ledger in ledger_list:
        if unit.level not in ledger.levels:
            continue
        count = counts[ledger.key].get(unit.pk, 0)
        lacks = lacking[ledger.key].get(unit.pk, [])
        if not count and not lacks and ledger.extra.get("expected", True):
            lacks = [_("nothing recorded in %(year)s") % {"year": year}]
        lines.append(Line(ledger, count, list_link(ledger, unit, year), lacks))
    return lines


def book_units(unit) -> list[OrgUnit]:
    """The units whose chapters follow the unit's own: its active children, in order
    (a township's villages and communities; a county's townships)."""
    return list(OrgUnit.objects.filter(parent=unit).active(on=timezone.localdate())
                .exclude(level=Level.GRID).order_by("code", "name", "pk"))


def unit_book(*, user, unit, year: int) -> Book:
    ledger_list = visible_ledgers(user)
    children = book_units(unit)
    ids = [unit.pk] + [child.pk for child in children]
    counts = {ledger.key: ledger.counts(ids, year) for ledger in ledger_list}
    everyone = [unit, *children]
    lacking = {ledger.key: ledger.lacks_many(
        [u for u in everyone if u.level in ledger.levels], year, counts[ledger.key])
        for ledger in ledger_list}
    own = UnitBook(unit, _lines(ledger_list, unit, year, counts, lacking)) \
        if unit.level in _keeping_levels(ledger_list) else None
    child_books = [UnitBook(child, _lines(ledger_list, child, year, counts, lacking))
                   for child in children]
    kept = {line.ledger.key for child in child_books for line in child.lines}
    columns = [ledger for ledger in ledger_list if ledger.key in kept]
    for child in child_books:
        by_key = {line.ledger.key: line for line in child.lines}
        child.row = [(ledger, by_key.get(ledger.key)) for ledger in columns]
    return Book(unit=unit, year=year, own=own, ledgers=ledger_list, children=child_books,
                columns=columns)


def _keeping_levels(ledger_list) -> set[int]:
    return {level for ledger in ledger_list for level in ledger.levels}


@dataclass
class Chapter:
    unit: OrgUnit
    number: int
    sections: list[tuple[Ledger, int, list, list[str]]]  # ledger, count, rows, lacks

    @property
    def entries(self) -> int:
        return sum(count for _ledger, count, _rows, _lacks in self.sections)

    @property
    def lacking(self) -> int:
        """How many of the unit's ledgers lack something."""
        return sum(1 for _ledger, _count, _rows, lacks in self.sections if lacks)


def chapters(book: Book) -> list[Chapter]:
    """The printed book's chapters: the unit's own, then one per unit beneath it; in each,
    every ledger's rows of the year (one query per ledger for every unit)."""
    units = [ub for ub in book.units if ub.lines]
    ids = [ub.unit.pk for ub in units]
    rows: dict[str, dict[int, list]] = {}
    for ledger in book.ledgers:
        if not ledger.chapter:
            continue
        qs = ledger.year_entries(ids, book.year)
        if ledger.chapter_rows is not None:
            qs = ledger.chapter_rows(qs)
        by_unit: dict[int, list] = {}
        for row in qs:
            by_unit.setdefault(_unit_id(row, ledger), []).append(row)
        rows[ledger.key] = by_unit
    out = []
    for number, ub in enumerate(units, start=1):
        sections = [(line.ledger, line.count,
                     rows.get(line.ledger.key, {}).get(ub.unit.pk, []), line.lacks)
                    for line in ub.lines]
        out.append(Chapter(ub.unit, number, sections))
    return out


def _unit_id(row, ledger: Ledger) -> int:
    target = row
    parts = ledger.unit_field.split("__")
    for part in parts[:-1]:
        target = getattr(target, part)
    return getattr(target, f"{parts[-1]}_id")


PRINT = Path(__file__).resolve().parent / "print"
BOOK_CSS = PRINT / "book.css"
# The book's styles, then the chapters' own (a ledger's chapter template may use its classes).
BOOK_STYLESHEETS = [BOOK_CSS, PRINT / "records.css", PRINT / "petitions.css"]


def chapter_documents(book: Book) -> list[tuple[Chapter, str]]:
    """Each chapter and the HTML it is typeset from. Nothing in it changes from one day to
    the next unless its unit's ledgers do (the print date is on the front alone), so a kept
    chapter stays good until its data changes."""
    return [(chapter, render_to_string("ledgers/book_chapter.html", {
        "pdf_font": FONT, "book": book, "chapter": chapter}))
        for chapter in chapters(book)]


def chapters_to_typeset(documents) -> int:
    """How many of the chapters are not kept typeset yet."""
    return sum(1 for _chapter, html in documents
               if not is_typeset(html, stylesheets=BOOK_STYLESHEETS))


def typeset_chapters(documents, *, progress=None) -> list[tuple[Chapter, bytes, int]]:
    """Each chapter's PDF and pages, typeset or kept (core.pdf.typeset_cached)."""
    done = []
    for chapter, html in documents:
        done.append((chapter, *typeset_cached(html, stylesheets=BOOK_STYLESHEETS)))
        if progress is not None:
            progress(len(done), len(documents))
    return done


def book_pdf(book: Book, *, printed_on, documents=None) -> bytes:
    """The printed book: a cover with the contents, then each chapter, one PDF with a
    bookmark per chapter. Each chapter is typeset on its own and kept (core.pdf.
    typeset_cached): reprinting the book after a change in one village typesets that
    village's chapter alone. A chapter's pages are numbered within it, its unit at the
    head of every page; the contents give each chapter's pages."""
    typeset_parts = typeset_chapters(documents if documents is not None
                                     else chapter_documents(book))
    counts = [(chapter, pages) for chapter, _content, pages in typeset_parts]
    front = typeset(render_to_string("ledgers/book_front.html", {
        "pdf_font": FONT, "book": book, "contents": counts, "printed_on": printed_on}),
        stylesheets=BOOK_STYLESHEETS)
    parts = [Part(content, f"{chapter.number}. {chapter.unit.name}")
             for chapter, content, _pages in typeset_parts]
    return join_pdfs([Part(front, f"{book.unit.name}{book.year}年台账"), *parts],
                     title=f"{book.unit.name}{book.year}年度台账")


# ---- a long book typeset in the background ----------------------------------------------
# A book with more chapters to typeset than CANLIAN_BOOK_INLINE_CHAPTERS is typeset by the
# background worker (ledgers/tasks.py); its page shows the progress, and the download then
# finds every chapter kept. Progress lives in the shared cache, as an import's does.

STALE_AFTER = 120  # seconds without a report: the worker is taken for dead


def _progress_key(user_id: int, unit_id: int, year: int) -> str:
    return f"ledger-book:{user_id}:{unit_id}:{year}"


def inline_chapters() -> int:
    return int(getattr(settings, "CANLIAN_BOOK_INLINE_CHAPTERS", 6))


def book_progress(*, user, book: Book) -> dict | None:
    """{"done", "total", "finished", "beat"} of the book's preparation, or None."""
    return cache.get(_progress_key(user.pk, book.unit.pk, book.year))


def start_preparing(*, user, book: Book, total: int) -> dict:
    """Queue the book's typesetting unless it is under way; its progress."""
    key = _progress_key(user.pk, book.unit.pk, book.year)
    progress = cache.get(key)
    if progress and not progress.get("finished") \
            and time.time() - progress["beat"] < STALE_AFTER:
        return progress
    progress = {"done": 0, "total": total, "finished": False, "beat": time.time()}
    cache.set(key, progress, 3600)
    from .tasks import prepare_book

    transaction.on_commit(lambda: prepare_book.enqueue(user.pk, book.unit.pk, book.year))
    return progress


def prepare(*, user_id: int, unit_id: int, year: int) -> None:
    """The background half: typeset every chapter the user's book of ``unit`` holds."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.select_related("unit").get(pk=user_id)
    unit = OrgUnit.objects.visible_to(user).get(pk=unit_id)
    book = unit_book(user=user, unit=unit, year=year)
    key = _progress_key(user_id, unit_id, year)

    def report(done, total):
        cache.set(key, {"done": done, "total": total, "finished": done == total,
                        "beat": time.time()}, 3600)

    documents = chapter_documents(book)
    typeset_chapters(documents, progress=report)
    report(len(documents), len(documents))
