from django_tasks import task


@task()
def prepare_book(user_id: int, unit_id: int, year: int) -> None:
    """Typeset a long ledger book's chapters in the background (ledgers.book.prepare)."""
    from .book import prepare

    prepare(user_id=user_id, unit_id=unit_id, year=year)
