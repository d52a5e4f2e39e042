"""The workforce's pages, declared on core.views; reads through the selectors, writes through
the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
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

from . import exports, rules, selectors, services
from .choices import post_title
from .filters import TrainingFilterSet, WorkerFilterSet
from .forms import (
    AppointForm,
    AppointmentForm,
    AppraisalForm,
    AttendanceForm,
    AwardRoundForm,
    ConfirmForm,
    DecideForm,
    EndForm,
    NominationForm,
    NormCreateForm,
    NormForm,
    SelectionForm,
    TrainingForm,
    UnitScopeForm,
    WorkerForm,
)
from .models import Appointment, TrainingSession, Worker
from .tables import TrainingTable, WorkerTable


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
            record=selectors.worker_record(worker=self.object.worker),
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
    board = selectors.post_board(user=request.user, unit=unit)
    return render(request, "workforce/post_board.html", {
        "unit": unit, "board": board, "preferred": selectors.board_preferred(board)})


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
    untied = list(selectors.untied_officers(user=user, unit=unit))
    selection = selectors.selection_exceptions(user=user, unit=unit)
    terms = list(selectors.terms_ending(user=user, unit=unit))
    certificates = selectors.certificate_gaps(user=user, unit=unit)
    found = [*untied, *(a for a, _w in selection), *terms, *(a for a, _s in certificates)]
    return render(request, "workforce/checks.html", {
        "unit": unit, "form": form,
        "by_unit": selectors.counts_by_child(((a.post.unit.path, 1) for a in found),
                                             user=user, unit=unit),
        "untied": untied[:500], "selection": selection[:500], "terms": terms[:500],
        "certificates": certificates[:500],
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



# ---- training, appraisal and awards (issue 13, second part) ---------------------------------

def _year_scope(request):
    """The year (this one unless asked) and unit of a yearly page, from its filter form;
    bad input is an error on the form, and this year in the whole scope is shown."""
    from .forms import YearScopeForm

    form = YearScopeForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, data.get("year") or timezone.localdate().year, data.get("unit")


class TrainingListView(ObjectListView):
    model = TrainingSession
    filterset_class = TrainingFilterSet
    table_class = TrainingTable
    selector = selectors.training_list
    title = gettext_lazy("Training register")
    search_label = gettext_lazy("Find training sessions")
    actions = (
        ListAction("workforce:training_create", gettext_lazy("Record a training session"),
                   "workforce.add_trainingsession", primary=True),
        ListAction("workforce:training_shortfalls", gettext_lazy("Training shortfalls"),
                   "workforce.view_trainingsession"),
    )
    export_name = "培训登记"
    export_columns = exports.training_columns
    export_rows = exports.training_rows
    export_permission = "workforce.export_worker"
    export_url_name = "workforce:training_export"


class TrainingDetailView(ObjectDetailView):
    model = TrainingSession
    selector = selectors.training_read
    context_object_name = "session"

    def get_context_data(self, **kwargs):
        from .models import Attendance

        return super().get_context_data(
            attendances=selectors.training_attendances(self.object, user=self.request.user),
            attendees=Attendance.objects.filter(session=self.object).count(),
            own=TrainingSession.objects.visible_to(self.request.user).filter(
                pk=self.object.pk).exists(), **kwargs)


class TrainingCreateView(ObjectFormView):
    model = TrainingSession
    form_class = TrainingForm
    service = services.training_create
    success_message = gettext_lazy("The training session is recorded; now tick who came.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_success_url(self, result):
        return reverse("workforce:training_attendance", args=[result.pk])


class TrainingEditView(ObjectFormView):
    model = TrainingSession
    form_class = TrainingForm
    selector = selectors.training_get
    service = services.training_update
    object_argument = "session"
    context_object_name = "session"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


@login_required
@permission_required("workforce.add_attendance", raise_exception=True)
def training_attendance(request, pk):
    """Tick who attended, from the workers kept in the organising unit's area."""
    session = selectors.training_get(user=request.user, pk=pk)
    candidates = selectors.attendance_candidates(user=request.user, session=session)
    present = {a.worker_id for a in selectors.training_attendances(session)}
    form = AttendanceForm(request.POST or None, candidates=candidates,
                          initial={"workers": [str(pk) for pk in present]})
    return service_form(
        request, form,
        save=lambda data: services.attendance_set(actor=request.user, session=session,
                                                  workers=data["workers"]),
        success_message=_("The attendance is saved."), next_url=session,
        template="workforce/training_attendance.html",
        context={"session": session, "candidates": candidates, "present": present,
                 "ticked": set(request.POST.getlist("workers")) if request.method == "POST"
                 else {str(pk) for pk in present}})


@login_required
@permission_required("workforce.view_trainingsession", raise_exception=True)
def training_shortfalls(request):
    """The officers short of their yearly training minimum (doc3, doc4), with a count per
    unit beneath."""
    form, year, unit = _year_scope(request)
    lines = selectors.training_shortfalls(user=request.user, year=year, unit=unit)
    if request.GET.get("export") == "xlsx" and request.user.has_perm("workforce.export_worker"):
        return _shortfall_export(request, lines, year)
    return render(request, "workforce/training_shortfalls.html", {
        "form": form, "year": year, "unit": unit, "lines": lines[:500],
        "count": len(lines), "shown": min(len(lines), 500),
        "missing": sum(n.missing for n in lines),
        "by_unit": selectors.child_counts(lines, user=request.user, unit=unit),
        "minimums": [(post_title(kind, level), n)
                     for (kind, level), n in rules.TRAINING_MINIMUMS.items()],
        "query": request.GET.urlencode(),
    })


def _shortfall_export(request, lines, year):
    from core.exports import XlsxColumn
    from core.views import ListExport, xlsx_export

    columns = [XlsxColumn("乡镇（街道）", 16), XlsxColumn("单位", 20), XlsxColumn("姓名", 10),
               XlsxColumn("岗位", 16), XlsxColumn("年度", 8, "number"),
               XlsxColumn("应培训次数", 10, "number"), XlsxColumn("已培训次数", 10, "number"),
               XlsxColumn("缺少次数", 10, "number")]

    def rows(items):
        for n in items:
            yield [n.unit.parent_name or None, n.unit.name, n.worker_name, n.title, year,
                   n.required, n.attended, n.missing]

    return xlsx_export(request, ListExport(name="培训未达标人员", columns=columns,
                                           queryset=lines, rows=rows,
                                           filters=dict(request.GET.items())))


@login_required
@permission_required("workforce.view_appraisal", raise_exception=True)
def appraisal_year(request):
    """The appraisals of a year, per unit: every officer in post that year, appraised or
    not, and the non-renewals awaiting an administrator's confirmation."""
    form, year, unit = _year_scope(request)
    lines = selectors.appraisal_year(user=request.user, year=year, unit=unit)
    return render(request, "workforce/appraisal_year.html", {
        "form": form, "year": year, "unit": unit, "lines": lines[:1000],
        "count": len(lines), "shown": min(len(lines), 1000),
        "appraised": sum(1 for line in lines if line.appraisal),
        "by_unit": selectors.child_counts([line for line in lines if not line.appraisal],
                                          user=request.user, unit=unit),
        "awaiting": selectors.appraisals_awaiting(user=request.user, unit=unit),
        "this_year": timezone.localdate().year,
    })


@login_required
@permission_required("workforce.add_appraisal", raise_exception=True)
def appraisal_form(request, pk):
    """The appraisal of an appointment for a year (``?year=``, this one by default)."""
    appointment = selectors.appointment_get(user=request.user, pk=pk)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    appraisal = selectors.appraisal_of(appointment=appointment, year=year)
    if appraisal is not None and not request.user.has_perm("workforce.change_appraisal"):
        raise PermissionDenied
    form = AppraisalForm(request.POST or None, instance=appraisal)
    return service_form(
        request, form,
        save=lambda data: services.appraisal_record(actor=request.user,
                                                    appointment=appointment, year=year,
                                                    **data),
        success_message=_("The appraisal is saved."),
        next_url=f"{reverse('workforce:appraisal_year')}?year={year}",
        template="workforce/appraisal_form.html",
        context={"appointment": appointment, "year": year, "appraisal": appraisal},
        obj=appraisal)


@login_required
@permission_required("workforce.confirm_appraisal", raise_exception=True)
def appraisal_confirm(request, pk):
    """An administrator confirms the non-renewal an appraisal proposes."""
    appraisal = selectors.appraisal_get(user=request.user, pk=pk)
    appointment = appraisal.appointment
    problems = rules.non_renewal_confirmation(
        decision=appraisal.decision, confirmed=appraisal.confirmed_on is not None,
        appointment_open=appointment.ended_on is None)
    today = timezone.localdate()
    return service_form(
        request, ConfirmForm(request.POST or None),
        save=lambda data: services.appraisal_confirm(actor=request.user, appraisal=appraisal,
                                                     **data),
        success_message=_("The non-renewal is confirmed; the appointment has ended."),
        next_url=appointment.worker, template="workforce/appraisal_confirm.html",
        context={"appraisal": appraisal, "appointment": appointment,
                 "problem": next(iter(problems.values()), ""),
                 "end_day": rules.non_renewal_end_day(
                     term_ends_on=appointment.term_ends_on, starts_on=appointment.starts_on,
                     today=today)},
        obj=appraisal)


@login_required
@permission_required("workforce.view_awardround", raise_exception=True)
def award_list(request):
    return render(request, "workforce/award_list.html", {
        "rounds": selectors.award_list(user=request.user)})


@login_required
@permission_required("workforce.add_awardround", raise_exception=True)
def award_create(request):
    return service_form(
        request, AwardRoundForm(request.POST or None, user=request.user),
        save=lambda data: services.award_round_create(actor=request.user, **data),
        success_message=_("The selection is open for nominations."),
        next_url="workforce:award_list", template="workforce/award_form.html", context={})


@login_required
@permission_required("workforce.view_awardround", raise_exception=True)
def award_detail(request, pk):
    award = selectors.award_get(user=request.user, pk=pk)
    page = selectors.award_page(user=request.user, award=award)
    return render(request, "workforce/award_detail.html", {"award": award, "page": page})


@login_required
@permission_required("workforce.add_nomination", raise_exception=True)
def award_nominate(request, pk):
    award = selectors.award_get(user=request.user, pk=pk)
    unit = request.user.unit
    if unit is None:
        raise Http404
    if not unit.path.startswith(award.unit.path):
        # A user above the organiser nominates for the organising unit itself.
        if not selectors.award_organised_by_scope(user=request.user, award=award):
            raise Http404
        unit = award.unit
    form = NominationForm(request.POST or None, candidates=selectors.nomination_candidates(
        user=request.user, award=award))
    return service_form(
        request, form,
        save=lambda data: services.nomination_create(actor=request.user, award=award,
                                                     unit=unit, **data),
        success_message=_("The nomination is recorded."), next_url=award,
        template="workforce/nomination_form.html", context={"award": award, "unit": unit})


@login_required
@permission_required("workforce.change_awardround", raise_exception=True)
def award_decide(request, pk):
    award = selectors.award_get(user=request.user, pk=pk)
    if not selectors.award_organised_by_scope(user=request.user, award=award):
        raise Http404
    page = selectors.award_page(user=request.user, award=award)
    form = DecideForm(request.POST or None, nominations=page.nominations)
    return service_form(
        request, form,
        save=lambda data: services.nominations_decide(actor=request.user, award=award,
                                                      decisions=form.decisions()),
        success_message=_("The decisions are saved."), next_url=award,
        template="workforce/award_decide.html", context={"award": award})


@login_required
@permission_required("workforce.change_awardround", raise_exception=True)
def award_publish(request, pk):
    award = selectors.award_get(user=request.user, pk=pk)
    if not selectors.award_organised_by_scope(user=request.user, award=award):
        raise Http404
    if request.method != "POST":
        return redirect(award)
    try:
        services.award_publish(actor=request.user, award=award)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The list is published."))
    return redirect(award)
