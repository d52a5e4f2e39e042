"""The workforce's pages, declared on core.views; reads through the selectors, writes through
the services."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Action
from audit.services import audit_record
from core.views import (
    ListAction,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    service_form,
)

from . import exports, selectors, services
from .filters import WorkerFilterSet
from .forms import AppointForm, AppointmentForm, EndForm, NormForm, UnitScopeForm, WorkerForm
from .models import Appointment, Worker
from .tables import WorkerTable


class WorkerListView(ObjectListView):
    model = Worker
    filterset_class = WorkerFilterSet
    table_class = WorkerTable
    selector = selectors.worker_list
    title = gettext_lazy("Workers")
    search_label = gettext_lazy("Find workers")
    actions = (
        ListAction("workforce:worker_create", gettext_lazy("Add a worker"),
                   "workforce.add_worker", primary=True),
        ListAction("workforce:overview", gettext_lazy("Vacancies and checks"),
                   "workforce.view_worker"),
        ListAction("workforce:board", gettext_lazy("Post board"), "workforce.view_worker"),
        ListAction("workforce:payroll_list", gettext_lazy("Payroll"),
                   "workforce.view_payrollrun"),
    )
    export_name = "残疾人专职委员花名册"
    export_columns = exports.worker_columns
    export_rows = exports.worker_rows
    export_permission = "workforce.export_worker"
    export_url_name = "workforce:worker_export"


class WorkerDetailView(ObjectDetailView):
    """A worker's file; it shows the ID number, so every look is audited."""

    model = Worker
    selector = selectors.worker_file
    context_object_name = "file"
    audit_view = True

    def audited_object(self, obj):
        return obj.worker

    def get_context_data(self, **kwargs):
        from .payroll_selectors import worker_subsidy

        return super().get_context_data(
            worker=self.object.worker,
            show_bank=self.request.user.has_perm("workforce.view_bank_account"),
            subsidy=worker_subsidy(user=self.request.user, worker=self.object.worker),
            **kwargs)


class WorkerCreateView(ObjectFormView):
    model = Worker
    form_class = WorkerForm
    service = services.worker_create
    success_message = gettext_lazy("The worker is recorded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class WorkerEditView(ObjectFormView):
    model = Worker
    form_class = WorkerForm
    selector = selectors.worker_get
    service = services.worker_update

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "editing": True,
                "show_bank": self.request.user.has_perm("workforce.view_bank_account")}

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        audit_record(actor=request.user, action=Action.VIEW, obj=self.object)
        return response


@login_required
@permission_required("workforce.add_appointment", raise_exception=True)
def worker_appoint(request, pk):
    worker = selectors.worker_get(user=request.user, pk=pk)
    return service_form(
        request, AppointForm(request.POST or None, user=request.user),
        save=lambda data: services.appoint(actor=request.user, worker=worker, **data),
        success_message=_("The appointment is recorded."), next_url=worker,
        template="workforce/appoint_form.html", context={"worker": worker})


class AppointmentEditView(ObjectFormView):
    model = Appointment
    form_class = AppointmentForm
    selector = selectors.appointment_get
    service = services.appointment_update

    def get_success_url(self, result):
        return self.object.worker.get_absolute_url()


@login_required
@permission_required("workforce.change_appointment", raise_exception=True)
def appointment_end(request, pk):
    appointment = selectors.appointment_get(user=request.user, pk=pk)
    if appointment.ended_on is not None:
        raise Http404
    return service_form(
        request, EndForm(request.POST or None),
        save=lambda data: services.appointment_end(actor=request.user,
                                                   appointment=appointment, **data),
        success_message=_("The appointment has ended; it stays in the worker's file."),
        next_url=appointment.worker, template="workforce/appointment_end.html",
        context={"appointment": appointment}, obj=appointment)


# ---- computed lists ---------------------------------------------------------------------------

def _scope(request, *, with_kind=False):
    """The unit (and post kind) a computed page is narrowed to, from its filter form (the
    unit in the user's scope; anything else is an error on the form, and the whole scope is
    shown)."""
    form = UnitScopeForm(request.GET or None, user=request.user, with_kind=with_kind)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, data.get("unit"), data.get("kind", "")


@login_required
@permission_required("workforce.view_worker", raise_exception=True)
def overview(request):
    """What needs doing: vacancies, exceptions, terms ending, certificates — each a count
    linking to its list."""
    user = request.user
    vacancies = selectors.vacancies(user=user)
    return render(request, "workforce/overview.html", {
        "vacancies": sum(s.vacant for s in vacancies),
        "untied": selectors.untied_officers(user=user).count(),
        "selection": len(selectors.selection_exceptions(user=user)),
        "terms": selectors.terms_ending(user=user).count(),
        "certificates": len(selectors.certificate_gaps(user=user)),
        "by_unit": selectors.vacancy_counts(vacancies, user=user, unit=None)[:20],
    })


@login_required
@permission_required("workforce.view_worker", raise_exception=True)
def vacancy_list(request):
    form, unit, kind = _scope(request, with_kind=True)
    lines = selectors.vacancies(user=request.user, unit=unit, kind=kind)
    if request.GET.get("export") == "xlsx" and request.user.has_perm("workforce.export_worker"):
        return _vacancy_export(request, lines)
    return render(request, "workforce/vacancy_list.html", {
        "lines": lines[:500], "total": sum(s.vacant for s in lines), "shown": min(len(lines), 500),
        "count": len(lines), "unit": unit, "form": form, "by_unit": selectors.vacancy_counts(lines, user=request.user,
                                                                 unit=unit),
        "query": request.GET.urlencode(),
    })


def _vacancy_export(request, lines):
    from core.exports import XlsxColumn
    from core.views import ListExport, xlsx_export

    columns = [XlsxColumn("乡镇（街道）", 16), XlsxColumn("单位", 20),
               XlsxColumn("区划代码", 16, "id"), XlsxColumn("岗位", 16),
               XlsxColumn("应配", 8, "number"), XlsxColumn("在岗", 8, "number"),
               XlsxColumn("空缺", 8, "number"), XlsxColumn("空缺起始日期", 14, "date"),
               XlsxColumn("空缺天数", 10, "number")]

    def rows(items):
        from django.utils.translation import override

        for s in items:
            with override("zh-hans"):
                title = s.title
            yield [s.unit.parent.name if s.unit.parent_id else None, s.unit.name, s.unit.code,
                   title, s.required, s.held, s.vacant, s.vacant_since, s.days_vacant]

    return xlsx_export(request, ListExport(name="岗位空缺", columns=columns, queryset=lines,
                                           rows=rows, filters=dict(request.GET.items())))


@login_required
@permission_required("workforce.view_worker", raise_exception=True)
def post_board(request, pk=None):
    from orgs.selectors import unit_get

    unit = unit_get(user=request.user, pk=pk or request.user.unit_id)
    return render(request, "workforce/post_board.html", {
        "unit": unit, "board": selectors.post_board(user=request.user, unit=unit)})


@login_required
@permission_required("workforce.view_worker", raise_exception=True)
def checks(request):
    """The exceptions the rules warn of: liaison officers neither disabled nor relatives,
    selection conditions broken, terms ending within 60 days, work certificates missing or
    expired."""
    form, unit, _kind = _scope(request)
    user = request.user
    return render(request, "workforce/checks.html", {
        "unit": unit, "form": form,
        "untied": list(selectors.untied_officers(user=user, unit=unit)[:500]),
        "selection": selectors.selection_exceptions(user=user, unit=unit)[:500],
        "terms": list(selectors.terms_ending(user=user, unit=unit)[:500]),
        "certificates": selectors.certificate_gaps(user=user, unit=unit)[:500],
        "today": timezone.localdate(), "term_days": selectors.TERM_WARNING_DAYS,
    })


@login_required
@permission_required("workforce.view_worker", raise_exception=True)
def coverage(request):
    form, unit, _kind = _scope(request)
    today = timezone.localdate()
    return render(request, "workforce/coverage.html", {
        "unit": unit, "form": form, "today": today,
        "rows": selectors.officer_coverage(user=request.user, unit=unit)[:1000]})


@login_required
@permission_required("workforce.view_worker", raise_exception=True)
def quotas(request):
    form, unit, _kind = _scope(request)
    return render(request, "workforce/quotas.html", {
        "unit": unit, "form": form,
        "lines": selectors.quotas(user=request.user, unit=unit)})


@login_required
@permission_required("workforce.view_worker", raise_exception=True)
def norm_list(request):
    return render(request, "workforce/norm_list.html", {
        "norms": selectors.norms_for(user=request.user)})


@login_required
@permission_required("workforce.change_staffingnorm", raise_exception=True)
def norm_edit(request, pk):
    norm = selectors.norm_get(user=request.user, pk=pk)
    return service_form(
        request, NormForm(request.POST or None, instance=norm),
        save=lambda data: services.norm_update(actor=request.user, norm=norm, **data),
        success_message=_("Saved."), next_url="workforce:norm_list",
        template="workforce/norm_form.html", context={"norm": norm}, obj=norm)

