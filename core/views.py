"""Base views: a page is declared by a few attributes (NetBox's ObjectListView, with this
project's selectors and services). Anonymous users go to the login page, a missing
permission is a 403, and an object out of the user's scope a 404, because every read goes
through a selector that starts from ``visible_to``.

    class JobSeekerListView(ObjectListView):
        model = JobSeeker                       # permission: people.view_jobseeker
        filterset_class = JobSeekerFilterSet    # people/filters.py
        table_class = JobSeekerTable            # people/tables.py
        selector = selectors.jobseeker_list     # (user=, filters=) -> QuerySet
        export_name = "残疾人求职登记名单"          # with export_columns and export_rows

See ObjectListView, ObjectDetailView and ObjectFormView for every attribute.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views import View

from audit.models import Action
from audit.services import audit_record

from .exports import write_xlsx
from .guards import FormGuard, OnceGuard, Repeated, RepeatedSubmit, VersionGuard
from .tables import PAGE_SIZES, page_size

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def set_download_name(response, filename: str) -> None:
    """A Content-Disposition that carries a Chinese file name to every browser."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "download.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )


class _Counted:
    """Rows passed through, counted on the way; ``progress(count)`` every ``every`` rows."""

    def __init__(self, rows, progress=None, every: int = 2000):
        self.rows, self.count = rows, 0
        self.progress, self.every = progress, every

    def __iter__(self):
        progress, every = self.progress, self.every
        for row in self.rows:
            self.count += 1
            if progress is not None and self.count % every == 0:
                progress(self.count)
            yield row


@dataclass
class ListExport:
    """What a list's export holds: the rows the list shows (the user's scope, the filters,
    the sort) in the export's columns. The same for the download in a request and for the
    background job, so both give the same workbook."""

    name: str
    columns: list
    queryset: object
    rows: object  # rows(queryset) yields the rows
    filters: dict
    title: str = ""  # the title row; by default "<the user's unit><name>（<date>导出）"

    def filename(self, today) -> str:
        return f"{self.name}-{today:%Y-%m-%d}.xlsx"

    def write(self, *, user, today, target=None, progress=None) -> tuple[bytes | None, int]:
        """The workbook (bytes, or written to ``target``) and the number of rows in it."""
        unit = user.unit
        counted = _Counted(self.rows(self.queryset), progress)
        title = self.title or f"{unit.name if unit else ''}{self.name}（{today:%Y-%m-%d}导出）"
        content = write_xlsx(title=title, columns=self.columns, rows=counted, sheet_title=self.name,
                             target=target)
        return content, counted.count

    def audit(self, *, user, rows: int, **detail) -> None:
        """The one audit entry saying who took which rows out."""
        audit_record(actor=user, action=Action.EXPORT, unit=user.unit, object_repr=self.name,
                     detail={"filters": self.filters, "rows": rows, **detail})


def xlsx_export(request, export: ListExport):
    """A list as a workbook to download, "<name>-<date>.xlsx", and the one audit entry saying
    who took which rows out: ``name`` with ``filters``, so many rows. The rows are streamed
    once, as they are written."""
    from django.http import HttpResponse
    from django.utils import timezone

    today = timezone.localdate()
    content, count = export.write(user=request.user, today=today)
    export.audit(user=request.user, rows=count)
    response = HttpResponse(content, content_type=XLSX)
    set_download_name(response, export.filename(today))
    return response


def list_export_for(url_name: str, *, user, query: str) -> ListExport:
    """The export a list view gives ``user`` for ``query`` (its query string), outside a
    request: the background export job asks the very view the button pointed at. Raises
    PermissionDenied when the user may no longer export it."""
    from django.core.exceptions import PermissionDenied
    from django.http import HttpRequest, QueryDict
    from django.urls import resolve

    function = resolve(reverse(url_name)).func
    view = function.view_class(**function.view_initkwargs)
    request = HttpRequest()
    request.method = "GET"
    request.user = user
    request.GET = QueryDict(query)
    if not function.view_initkwargs.get("export"):
        request.GET = request.GET.copy()
        request.GET["export"] = "xlsx"
    view.setup(request)
    if not user.is_active or not user.has_perms(view.get_permission_required()):
        raise PermissionDenied
    view.filterset = view.get_filterset()
    return view.export_source()


def _plain(value):
    """A function declared as a view's class attribute, as the function itself (a class
    attribute holding a function reads as a bound method)."""
    return getattr(value, "__func__", value)


class ScopedMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Logged in (else the login page), holding ``permission`` (else 403).

    ``permission`` defaults to ``<app>.<permission_action>_<model>`` (``view`` for lists
    and detail pages, ``add`` or ``change`` for forms)."""

    model = None
    permission: str | None = None
    permission_action = "view"
    raise_exception = False  # anonymous users go to the login page

    def get_permission_required(self):
        if self.permission:
            return (self.permission,)
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model or a permission.")
        opts = self.model._meta
        return (f"{opts.app_label}.{self.permission_action}_{opts.model_name}",)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()

    def call(self, name: str, /, *args, **kwargs):
        """Call the function named by the attribute ``name`` (a selector or a service)."""
        function = _plain(getattr(self, name))
        if function is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs {name}.")
        return function(*args, **kwargs)


# ---- lists ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListAction:
    """A link above a list (``primary``: drawn as a button), shown to users holding
    ``permission`` (everyone who sees the list when None)."""

    url_name: str
    label: str
    permission: str | None = None
    primary: bool = False


class ObjectListView(ScopedMixin, View):
    """A list page, its htmx partial and its .xlsx export, declared by attributes:

    - ``model``: gives the permission (``<app>.view_<model>``) and the page's title.
    - ``selector``: ``selector(user=, filters=)`` returns the queryset: it starts from
      ``visible_to(user)`` and applies the FilterSet (``filters`` is the bound
      ``filterset_class``, or None without one). The view never filters by hand.
    - ``filterset_class``: a core.filters.FilterSet (the filter bar); optional.
    - ``table_class``: a core.tables.ObjectTable; sorted by ``?sort=``, paginated by
      ``?page=`` and ``?per_page=`` (one of PAGE_SIZES, default 50).
    - ``template_name``: default generic/object_list.html (blocks ``lead``, ``actions``,
      ``filters``, ``list``); ``partial_template_name``: what an htmx request gets, the
      export button, the table and the pagination (generic/_object_list.html).
    - ``title``, ``search_label`` (the filter bar's name, unique on the page), ``actions``
      (ListAction links above the list).
    - ``export_name``, ``export_columns`` (XlsxColumns, or a function returning them),
      ``export_rows`` (``export_rows(queryset)`` yields the rows): then the list exports
      what it shows (scope, filters and sort) to .xlsx, audited with the filters and the
      number of rows. ``export_permission`` (e.g. "people.export_person") is needed besides
      the view permission. The export is ``?export=xlsx`` on the list, or a sibling URL:
      ``as_view(export=True)`` named by ``export_url_name``.
    """

    filterset_class = None
    table_class = None
    selector = None
    template_name = "generic/object_list.html"
    partial_template_name = "generic/_object_list.html"
    title = None
    search_label = None
    actions: tuple[ListAction, ...] = ()
    export_name: str | None = None
    export_columns = None
    export_rows = None
    export_permission: str | None = None
    export_url_name: str | None = None
    export = False

    def is_export(self) -> bool:
        return bool(self.export_name) and (
            self.export or self.request.GET.get("export") == "xlsx")

    def get_permission_required(self):
        required = tuple(super().get_permission_required())
        if self.is_export() and self.export_permission:
            required += (self.export_permission,)
        return required

    def get_filterset(self):
        if self.filterset_class is None:
            return None
        return self.filterset_class(self.request.GET or None, user=self.request.user)

    def get_queryset(self):
        return self.call("selector", user=self.request.user, filters=self.filterset)

    def get_table(self, queryset, *, paginate=True):
        table = self.table_class(queryset, user=self.request.user,
                                 sort=self.request.GET.get("sort", ""))
        if paginate:
            query = self.request.GET
            # A filtered list counts up to CANLIAN_LIST_COUNT_CAP; the list as it opens, exactly.
            exact = self.filterset is None or not self.filterset.active()
            table.paginate(per_page=page_size(query.get("per_page")), page=query.get("page"),
                           after=query.get("after"), before=query.get("before"),
                           exact_count=exact)
        return table

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset()
        if self.is_export():
            return self.export_response()
        partial = request.htmx and not request.htmx.history_restore_request
        if partial and self.filterset is not None and self.filterset.errors:
            # The filter bar is not part of the partial: the page itself shows the errors.
            from django_htmx.http import HttpResponseClientRedirect

            return HttpResponseClientRedirect(request.get_full_path())
        self.table = self.get_table(self.get_queryset())
        response = render(request, self.partial_template_name if partial else self.template_name,
                          self.get_context_data())
        patch_vary_headers(response, ("HX-Request",))
        return response

    def export_source(self) -> ListExport:
        queryset = self.get_table(self.get_queryset(), paginate=False).data.data
        columns = self.export_columns
        columns = _plain(columns)() if callable(columns) else columns
        return ListExport(name=self.export_name, columns=columns, queryset=queryset,
                          rows=_plain(self.export_rows),
                          filters=self.filterset.applied() if self.filterset else {})

    def export_response(self):
        """The workbook at once, or, past CANLIAN_EXPORT_JOB_ROWS rows, a background job
        whose page shows its progress and then the download (core.exportjobs)."""
        from django.conf import settings

        from .exportjobs import export_job_create

        export = self.export_source()
        limit = settings.CANLIAN_EXPORT_JOB_ROWS
        if limit and export.queryset[:limit + 1].count() > limit:
            job = export_job_create(actor=self.request.user, export=export,
                                    url_name=self.request.resolver_match.view_name,
                                    query=self.export_query().urlencode())
            return redirect(job)
        return xlsx_export(self.request, export)

    def get_title(self):
        return self.title or capfirst(self.model._meta.verbose_name_plural)

    def can_export(self) -> bool:
        if not self.export_name:
            return False
        required = tuple(ScopedMixin.get_permission_required(self))
        if self.export_permission:
            required += (self.export_permission,)
        return self.request.user.has_perms(required)

    def export_query(self):
        """The list's query string without paging (the filters and the sort)."""
        query = self.request.GET.copy()
        for name in ("page", "per_page", "export", "after", "before"):
            query.pop(name, None)
        return query

    def export_href(self) -> str:
        query = self.export_query()
        if self.export_url_name:
            base = reverse(self.export_url_name)
        else:
            base = self.request.path
            query["export"] = "xlsx"
        return f"{base}?{query.urlencode()}" if query else base

    def get_context_data(self, **kwargs):
        user = self.request.user
        table = self.table
        return {
            "view": self,
            "title": self.get_title(),
            "search_label": self.search_label or self.get_title(),
            "actions": [{"url": reverse(a.url_name), "label": a.label, "primary": a.primary}
                        for a in self.actions
                        if a.permission is None or user.has_perm(a.permission)],
            "filterset": self.filterset,
            "form": self.filterset.form if self.filterset is not None else None,
            "clear_url": self.request.path
            if self.filterset is not None and self.filterset.active() else "",
            "table": table,
            "page": table.page,
            "page_sizes": PAGE_SIZES,
            "per_page": table.paginator.per_page,
            "list_id": f"{self.model._meta.model_name}-list",
            "export_href": self.export_href() if self.can_export() else "",
            **kwargs,
        }


# ---- one object ----------------------------------------------------------------------------

class ObjectDetailView(ScopedMixin, View):
    """One object's page.

    - ``model``: the permission (``<app>.view_<model>``) and the default template
      (``<app>/<model>_detail.html``) and context name (``<model>``).
    - ``selector``: ``selector(user=, pk=)`` returns the object, or raises Http404 when
      it is out of the user's scope (core.scope.get_visible_or_404).
    - ``audit_view``: every look is an audit entry (pages with personal data);
      ``audited_object(obj)`` says which object it names.
    - ``get_context_data(**kwargs)`` adds what else the page shows.
    """

    selector = None
    template_name = None
    context_object_name = None
    audit_view = False

    def get_object(self):
        return self.call("selector", user=self.request.user, pk=self.kwargs["pk"])

    def audited_object(self, obj):
        return obj

    def get_template_names(self):
        opts = self.model._meta
        return [self.template_name or f"{opts.app_label}/{opts.model_name}_detail.html"]

    def get_context_data(self, **kwargs):
        name = self.context_object_name or self.model._meta.model_name
        return {"view": self, "object": self.object, name: self.object, **kwargs}

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.audit_view:

            audit_record(actor=request.user, action=Action.VIEW,
                         obj=self.audited_object(self.object))
        return render(request, self.get_template_names(), self.get_context_data())


# The guards of every form page (ObjectFormView, service_form and submit_form), in order:
# the one-time token first (a repeat saves nothing), then the optimistic lock. Add one here
# and every form has it (see core/guards.py).
FORM_GUARDS: tuple[FormGuard, ...] = (OnceGuard(), VersionGuard())

REPEATED_MESSAGE = _("This form had been sent already: it was saved once, not twice.")


def is_repeat(result) -> bool:
    """Whether submit_form's result is a repeated submission (nothing was saved again)."""
    return isinstance(result, RepeatedSubmit)


def submit_form(request, form, *, save, obj=None, guards=None) -> tuple[bool, object]:
    """The shape of every form submission: the form checks the shape of the input; on a
    valid POST the guards check it and ``save(data)`` (a service) writes it, in one
    transaction. A ValidationError goes back onto the form, which keeps what was typed.
    ``obj``: the object edited (None when creating): a versioned one gets the optimistic
    lock, so ``save`` must pass ``expected_version`` and ``started_from`` to its service.
    Returns (saved, what save returned); for a repeated submission (its token was used)
    (True, a RepeatedSubmit leading where the first one did: see is_repeat)."""
    return submit_forms(request, [(form, obj)], save=lambda datas: save(datas[0]),
                        guards=guards)


def submit_forms(request, forms, *, save, guards=None) -> tuple[bool, object]:
    """submit_form for a page of several forms saved together: ``forms`` are (form, object
    edited or None) pairs, ``save(datas)`` gets their data in the same order (each with its
    guards' arguments). A service error for a field goes to the form that has the field,
    others to the first form."""
    guards = FORM_GUARDS if guards is None else guards
    for form, obj in forms:
        for guard in guards:
            guard.contribute(form, request=request, obj=obj)
    if request.method != "POST" or not all([form.is_valid() for form, _obj in forms]):
        return False, None
    own = {name for guard in guards for name in guard.fields}
    datas = [{name: value for name, value in form.cleaned_data.items() if name not in own}
             for form, _obj in forms]
    try:
        with transaction.atomic():
            for (form, obj), data in zip(forms, datas, strict=True):
                for guard in guards:
                    data.update(guard.check(form, request=request, obj=obj) or {})
            result = save(datas)
            for form, obj in forms:
                for guard in guards:
                    guard.saved(form, request=request, obj=obj, result=result)
    except Repeated as repeat:
        return True, repeat.result
    except ValidationError as exc:
        for form, obj in forms:
            for guard in guards:
                guard.rejected(form, exc, request=request, obj=obj)
        _add_errors([form for form, _obj in forms], exc)
        return False, None
    return True, result


def service_form(request, form, *, save, success_message: str, next_url, template: str,
                 context: dict, obj=None, guards=None):
    """A form page as a function (ObjectFormView as a class): on a valid POST call
    ``save(cleaned_data)`` (a service); its ValidationError goes back onto the form, which
    keeps what was typed. ``obj``: the object edited (see submit_form)."""
    saved, result = submit_form(request, form, save=save, obj=obj, guards=guards)
    if saved:
        messages.success(request, REPEATED_MESSAGE if is_repeat(result) else success_message)
        return redirect(next_url)
    return render(request, template, {"form": form, **context})


class ObjectFormView(ScopedMixin, View):
    """A form page that creates or edits through a service.

    - ``model``: the permission (``<app>.change_<model>`` when editing, ``add_`` when
      creating) and the default template (``<app>/<model>_form.html``).
    - ``form_class``: checks the shape of the input only (``instance=`` is passed to a
      ModelForm when editing); ``get_form_kwargs()`` adds more.
    - ``selector``: editing: ``selector(user=, pk=)`` returns the object (404 out of
      scope); None: the page creates.
    - ``service``: ``service(actor=, **service_kwargs(data))`` writes and returns the saved
      object; by default the object edited is passed as ``object_argument`` (the model's
      name), and shown to the template as ``context_object_name`` (the same). Its
      ValidationError goes back onto the form, which keeps the input.
    - ``success_message``, ``get_success_url(result)`` (default: the result's page).
    - ``guards``: FormGuards (default FORM_GUARDS, the same for every form): a one-time
      submit token, and editing a versioned object (a ``version`` field) the optimistic
      lock, so the service then takes ``expected_version`` and ``started_from``.
    """

    form_class = None
    selector = None
    service = None
    object_argument: str | None = None
    template_name = None
    context_object_name = None
    success_message = _("Saved.")
    guards: tuple[FormGuard, ...] | None = None

    @property
    def permission_action(self):
        return "change" if self.selector is not None else "add"

    def get_object(self):
        if self.selector is None:
            return None
        return self.call("selector", user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict:
        posted = self.request.method == "POST"
        kwargs = {"data": self.request.POST if posted else None,
                  "files": self.request.FILES if posted else None}
        if self.object is not None and hasattr(self.form_class, "_meta"):
            kwargs["instance"] = self.object
        return kwargs

    def service_kwargs(self, data: dict) -> dict:
        if self.object is None:
            return data
        return {self.object_argument or self.model._meta.model_name: self.object, **data}

    def save(self, data: dict):
        return self.call("service", actor=self.request.user, **self.service_kwargs(data))

    def get_success_url(self, result):
        return (result if hasattr(result, "get_absolute_url") else self.object) \
            .get_absolute_url()

    def get_template_names(self):
        opts = self.model._meta
        return [self.template_name or f"{opts.app_label}/{opts.model_name}_form.html"]

    def get_context_data(self, **kwargs):
        context = {"view": self, "form": self.form, "object": self.object}
        if self.object is not None:
            context[self.context_object_name or self.model._meta.model_name] = self.object
        return {**context, **kwargs}

    def get(self, request, *args, **kwargs):
        return self.handle()

    def post(self, request, *args, **kwargs):
        return self.handle()

    def handle(self):
        self.object = self.get_object()
        self.form = self.form_class(**self.get_form_kwargs())
        saved, result = submit_form(self.request, self.form, save=self.save, obj=self.object,
                                    guards=self.guards)
        if saved and is_repeat(result):
            messages.success(self.request, REPEATED_MESSAGE)
            # Where the first one led: its result's page, else where an edit leads.
            return redirect(result.url or (self.get_success_url(self.object)
                                           if self.object is not None else self.request.path))
        if saved:
            messages.success(self.request, self.success_message)
            return redirect(self.get_success_url(result))
        return render(self.request, self.get_template_names(), self.get_context_data())


def _add_errors(forms, exc: ValidationError) -> None:
    if len(forms) == 1 or not hasattr(exc, "error_dict"):
        add_service_errors(forms[0], exc)
        return
    for field, errors in exc.error_dict.items():
        target = next((form for form in forms if field in form.fields), forms[0])
        add_service_errors(target, ValidationError({field: errors}))


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where the form has the field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)
