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
from .forms import (
    AppointForm,
    AppointmentForm,
    EndForm,
    NormCreateForm,
    NormForm,
    SelectionForm,
    UnitScopeForm,
    WorkerForm,
)
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
        return super().get_context_data(
            worker=self.object.worker,
            show_bank=self.request.user.has_perm("workforce.view_bank_account"), **kwargs)


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
    if _wants_export(request):
        return _vacancy_export(request, lines)
    shown = 500
    return render(request, "workforce/vacancy_list.html", {
        "lines": lines[:shown], "total": sum(s.vacant for s in lines),
        "shown": min(len(lines), shown), "count": len(lines), "unit": unit, "form": form,
        "by_unit": selectors.vacancy_counts(lines, user=request.user, unit=unit),
        "query": request.GET.urlencode(),
    })


def _wants_export(request) -> bool:
    return request.GET.get("export") == "xlsx" and request.user.has_perm(
        "workforce.export_worker")


def _export(request, name: str, headers: list, rows):
    """A computed list as a workbook, audited like every export: ``headers`` are
    (Chinese header, width, kind); ``rows`` the cells of each line, already in Chinese."""
    from django.utils.translation import override

    from core.exports import XlsxColumn
    from core.views import ListExport, xlsx_export

    with override("zh-hans"):
        lines = [list(row) for row in rows]
    columns = [XlsxColumn(*header) for header in headers]
    return xlsx_export(request, ListExport(
        name=name, columns=columns, queryset=lines, rows=iter,
        filters={k: v for k, v in request.GET.items() if k != "export"}))


def _vacancy_export(request, lines):
    return _export(request, "岗位空缺", [
        ("乡镇（街道）", 16), ("单位", 20), ("区划代码", 16, "id"), ("岗位", 16),
        ("应配", 8, "number"), ("在岗", 8, "number"), ("空缺", 8, "number"),
        ("空缺起始日期", 14, "date"), ("空缺天数", 10, "number")],
        ([s.unit.parent.name if s.unit.parent_id else None, s.unit.name, s.unit.code,
          s.title, s.required, s.held, s.vacant, s.vacant_since, s.days_vacant]
         for s in lines))


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
    if _wants_export(request):
        return _checks_export(request, user, unit)
    return render(request, "workforce/checks.html", {
        "unit": unit, "form": form,
        "untied": list(selectors.untied_officers(user=user, unit=unit)[:500]),
        "selection": selectors.selection_exceptions(user=user, unit=unit)[:500],
        "terms": list(selectors.terms_ending(user=user, unit=unit)[:500]),
        "certificates": selectors.certificate_gaps(user=user, unit=unit)[:500],
        "today": timezone.localdate(), "term_days": selectors.TERM_WARNING_DAYS,
        "query": request.GET.urlencode(),
    })


def _checks_export(request, user, unit):
    def rows():
        for a in selectors.untied_officers(user=user, unit=unit):
            yield ["非残疾人或亲属的专职委员", a.post.unit.name, a.worker.name, ""]
        for a, warnings in selectors.selection_exceptions(user=user, unit=unit):
            yield ["不符合选聘条件", a.post.unit.name, a.worker.name, "；".join(warnings)]
        for a in selectors.terms_ending(user=user, unit=unit):
            yield ["聘期将满", a.post.unit.name, a.worker.name, a.term_ends_on.isoformat()]
        for a, state in selectors.certificate_gaps(user=user, unit=unit):
            yield ["无有效上岗证", a.post.unit.name, a.worker.name,
                   "已过期" if state == "expired" else "无上岗证"]

    return _export(request, "队伍检查", [("问题", 24), ("单位", 24), ("姓名", 12),
                                         ("说明", 40)], rows())


@login_required
@permission_required("workforce.view_worker", raise_exception=True)
def coverage(request):
    form, unit, _kind = _scope(request)
    today = timezone.localdate()
    if _wants_export(request):
        return _export(request, "专职委员走访情况", [
            ("单位", 24), ("专职委员", 12), ("在册残疾人", 12, "number"),
            ("本季度已走访", 12, "number"), ("本年度已走访", 12, "number")],
            ([r.appointment.post.unit.name, r.appointment.worker.name, r.people, r.quarter,
              r.year] for r in selectors.officer_coverage(user=request.user, unit=unit,
                                                           limit=None)))
    return render(request, "workforce/coverage.html", {
        "unit": unit, "form": form, "today": today,
        "rows": selectors.officer_coverage(user=request.user, unit=unit),
        "limit": selectors.COVERAGE_PAGE, "query": request.GET.urlencode()})


@login_required
@permission_required("workforce.view_worker", raise_exception=True)
def quotas(request):
    form, unit, _kind = _scope(request)
    lines = selectors.quotas(user=request.user, unit=unit)
    if _wants_export(request):
        return _export(request, "编制与在岗", [
            ("组织", 24), ("行政编核定", 12, "number"), ("行政编在岗", 12, "number"),
            ("事业编核定", 12, "number"), ("事业编在岗", 12, "number"), ("状态", 30)],
            ([q.unit.name, q.profile.quota_administrative, q.administrative,
              q.profile.quota_institutional, q.institutional, "；".join(q.states)]
             for q in lines))
    return render(request, "workforce/quotas.html", {
        "unit": unit, "form": form, "lines": lines, "query": request.GET.urlencode()})


@login_required
@permission_required("workforce.view_worker", raise_exception=True)
def norm_list(request):
    return render(request, "workforce/norm_list.html", {
        "norms": selectors.norms_for(user=request.user),
        "conditions": selectors.selection_rules_for(user=request.user)})


@login_required
@permission_required("workforce.change_staffingnorm", raise_exception=True)
def norm_create(request):
    return service_form(
        request, NormCreateForm(request.POST or None, user=request.user),
        save=lambda data: services.norm_create(actor=request.user, **data),
        success_message=_("The region's norm is saved."), next_url="workforce:norm_list",
        template="workforce/norm_create.html", context={})


@login_required
@permission_required("workforce.change_staffingnorm", raise_exception=True)
def selection_edit(request):
    return service_form(
        request, SelectionForm(request.POST or None, user=request.user),
        save=lambda data: services.selection_rule_set(actor=request.user, **data),
        success_message=_("The selection conditions are saved."),
        next_url="workforce:norm_list", template="workforce/selection_form.html", context={})


@login_required
@permission_required("workforce.change_staffingnorm", raise_exception=True)
def norm_edit(request, pk):
    norm = selectors.norm_get(user=request.user, pk=pk)
    return service_form(
        request, NormForm(request.POST or None, instance=norm),
        save=lambda data: services.norm_update(actor=request.user, norm=norm, **data),
        success_message=_("Saved."), next_url="workforce:norm_list",
        template="workforce/norm_form.html", context={"norm": norm}, obj=norm)

