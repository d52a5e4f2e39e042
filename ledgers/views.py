"""The ledgers' pages: declared views on the selectors and services (core/views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.models import Action
from audit.services import audit_record
from core.pdf import PDF
from core.views import ObjectListView, set_download_name
from orgs.selectors import unit_get

from . import book as books
from . import selectors, services
from .forms import YearForm


class PaperListView(ObjectListView):
    """A ledger's list whose export is the paper book: its title row names the unit the list
    is filtered to (else the user's own) and the book, e.g. 会师镇残疾人扶残助残活动登记表;
    ``paper_title(unit, year)`` words it otherwise (a book of a year)."""

    def paper_title(self, unit, year: int | None) -> str:
        return f"{unit.name if unit else ''}{self.export_name}"

    def export_source(self):
        export = super().export_source()
        data = {}
        if self.filterset is not None and self.filterset.is_bound \
                and self.filterset.is_valid():
            data = self.filterset.form.cleaned_data
        year = data.get("year")
        export.title = self.paper_title(data.get("unit") or self.request.user.unit,
                                        int(year) if year else None)
        return export


def _owner_permission(attachment, action: str) -> str:
    model = attachment.owner_type
    return f"{model.app_label}.{action}_{model.model}"


@login_required
def index(request):
    """The ledgers: the unit's book of the year first, then each ledger the user may read
    with its list and, where the user may write, its entry form."""
    visible = books.visible_ledgers(request.user)
    if not visible and not request.user.has_perm("ledgers.view_fundentry"):
        raise PermissionDenied
    rows = []
    for ledger in visible:
        opts = ledger.model._meta
        may_add = request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
        rows.append({"ledger": ledger,
                     "create": ledger.create_url if may_add and ledger.create_url else None})
    return render(request, "ledgers/index.html", {"rows": rows,
                                                  "year": timezone.localdate().year})


@login_required
def attachment_file(request, pk):
    """A file attached to an entry: to users who may see the entry (404 out of scope, 403
    without the right to see that ledger); every look is an audit entry."""
    attachment = selectors.attachment_for(user=request.user, pk=pk)
    if not request.user.has_perm(_owner_permission(attachment, "view")):
        raise PermissionDenied
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit_record(actor=request.user, action=Action.VIEW, obj=attachment,
                 detail={"owner_type": attachment.owner_type.model,
                         "owner_id": attachment.owner_id})
    response = FileResponse(handle, content_type=attachment.content_type,
                            filename=attachment.name, as_attachment=False)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    """Remove a file from an entry (who may change the entry may remove its files)."""
    attachment = selectors.attachment_for(user=request.user, pk=pk)
    if not request.user.has_perm(_owner_permission(attachment, "change")):
        raise PermissionDenied
    owner = attachment.owner
    locked = getattr(owner, "attachments_locked", None)
    reason = locked(timezone.now()) if locked is not None else None
    if reason:
        messages.error(request, reason)
        return redirect(owner.get_absolute_url())
    services.detach(actor=request.user, attachment=attachment)
    target = owner.get_absolute_url() if hasattr(owner, "get_absolute_url") else "ledgers:index"
    return redirect(target)


def _book_for(request, pk):
    if not books.visible_ledgers(request.user):
        raise PermissionDenied
    unit = unit_get(user=request.user, pk=pk or request.user.unit_id)
    form = YearForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) \
        or timezone.localdate().year
    return form, books.unit_book(user=request.user, unit=unit, year=year)


@login_required
def book(request, pk=None):
    """A unit's ledgers of a year (its own and each unit's beneath it): the counts, the
    links to each list, what is missing; and the printed book."""
    form, book = _book_for(request, pk)
    return render(request, "ledgers/book.html", {"form": form, "book": book,
                                                 "unit": book.unit, "year": book.year})


@login_required
def book_pdf(request, pk):
    """The year's ledgers as one PDF for the year-end inspection, a chapter per unit. It
    holds personal data: one audit entry says who printed which unit's year."""
    _form, book = _book_for(request, pk)
    documents = books.chapter_documents(book)
    missing = books.chapters_to_typeset(documents)
    if missing > books.inline_chapters():
        progress = books.start_preparing(user=request.user, book=book, total=len(documents))
        return render(request, "ledgers/book_preparing.html", {
            "book": book, "unit": book.unit, "year": book.year, "progress": progress,
            "missing": missing})
    content = books.book_pdf(book, printed_on=timezone.localdate(), documents=documents)
    audit_record(actor=request.user, action=Action.EXPORT, unit=book.unit,
                 object_repr=f"{book.unit.name}{book.year}年台账",
                 detail={"year": book.year, "ledgers": [x.key for x in book.ledgers],
                         "units": len(book.units)})
    response = HttpResponse(content, content_type=PDF)
    set_download_name(response, f"{book.unit.name}{book.year}年台账.pdf")
    return response


@login_required
def book_progress(request, pk):
    """The progress of a long book being typeset (polled by its page)."""
    _form, book = _book_for(request, pk)
    return render(request, "ledgers/_book_progress.html", {
        "book": book, "unit": book.unit, "year": book.year,
        "progress": books.book_progress(user=request.user, book=book)})
