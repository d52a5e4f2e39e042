"""The pages of the responsibility agreements 目标责任书, declared on core.views; reads through
agreements_selectors, writes through agreements_services."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.pdf import PDF, render_pdf
from core.views import (
    ListAction,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    service_form,
    set_download_name,
)
from ledgers.selectors import attachments_of

from . import agreements_selectors as selectors
from . import agreements_services as services
from .agreements_forms import (
    DEPARTMENTS,
    AcceptanceForm,
    AgreementCreateForm,
    AgreementForm,
    InspectionForm,
    SignForm,
    TaskForm,
)
from .agreements_tables import AgreementTable
from .models import Agreement, AgreementInspection

AGREEMENT_CSS = Path(__file__).resolve().parent / "print" / "agreement.css"
VIEW = "standards.view_agreement"
MANAGE = "standards.change_agreement"


def _manage(request, agreement):
    """403 for a user who reads the agreement (乙方, a leader) but does not manage it."""
    if not selectors.may_manage(request.user, agreement):
        raise PermissionDenied


def _numbered(agreement):
    return [(line.number, line.task) for line in
            selectors.task_lines(selectors.with_tasks(
                Agreement.objects.filter(pk=agreement.pk)))[agreement.pk]]


class AgreementListView(ObjectListView):
    model = Agreement
    table_class = AgreementTable
    selector = selectors.agreement_list
    title = gettext_lazy("Responsibility agreements")
    actions = (ListAction("standards:agreement_create", gettext_lazy("New agreement"),
                          "standards.add_agreement", primary=True),)


@login_required
@permission_required("standards.add_agreement", raise_exception=True)
def agreement_create(request):
    form = AgreementCreateForm(request.POST or None, user=request.user)
    saved = {}

    def save(data):
        saved["agreement"] = services.agreement_create(actor=request.user, **data)
        return saved["agreement"]

    response = service_form(
        request, form, save=save,
        success_message=_("The agreement is a draft: add its tasks, then record the "
                          "signatures."),
        next_url="standards:agreement_list", template="standards/agreements/create.html",
        context={"departments": DEPARTMENTS})
    if "agreement" in saved:
        return redirect(saved["agreement"])
    return response


class AgreementDetailView(ObjectDetailView):
    model = Agreement
    selector = selectors.agreement_get
    template_name = "standards/agreements/detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            **selectors.agreement_page(agreement=self.object),
            may_manage=selectors.may_manage(user, self.object),
            may_inspect=user.has_perm("standards.add_agreementinspection")
            and selectors.may_manage(user, self.object),
            may_accept=user.has_perm("standards.accept_agreement")
            and selectors.may_manage(user, self.object), **kwargs)


class AgreementEditView(ObjectFormView):
    model = Agreement
    form_class = AgreementForm
    selector = selectors.agreement_get
    service = services.agreement_update
    template_name = "standards/agreements/form.html"

    def get_object(self):
        agreement = super().get_object()
        _manage(self.request, agreement)
        return agreement


@login_required
@permission_required(MANAGE, raise_exception=True)
def task_add(request, pk):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    _manage(request, agreement)
    return service_form(
        request, TaskForm(request.POST or None),
        save=lambda data: services.task_add(actor=request.user, agreement=agreement, **data),
        success_message=_("The task is added."), next_url=agreement,
        template="standards/agreements/task_form.html", context={"agreement": agreement})


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def task_remove(request, pk):
    task = selectors.task_get(user=request.user, pk=pk)
    _manage(request, task.agreement)
    try:
        services.task_remove(actor=request.user, task=task)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The task is removed."))
    return redirect(task.agreement)


@login_required
@permission_required(MANAGE, raise_exception=True)
def agreement_sign(request, pk):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    _manage(request, agreement)
    return service_form(
        request, SignForm(request.POST or None, instance=agreement),
        save=lambda data: services.agreement_sign(actor=request.user, agreement=agreement,
                                                  **data),
        success_message=_("The agreement is signed: its tasks are frozen."),
        next_url=agreement, template="standards/agreements/sign.html",
        context={"agreement": agreement}, obj=agreement)


@login_required
@permission_required(VIEW, raise_exception=True)
def agreement_pdf(request, pk):
    """The agreement as printed: two copies, one for each party (甲方留存, 乙方留存)."""
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    content = render_pdf("standards/agreements/print.html",
                         selectors.print_context(agreement=agreement),
                         stylesheets=[AGREEMENT_CSS])
    response = HttpResponse(content, content_type=PDF)
    set_download_name(response, f"目标责任书-{agreement.year}-{agreement.party_b_label}.pdf")
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline", 1)
    return response


@login_required
@permission_required("standards.add_agreementinspection", raise_exception=True)
def inspection_create(request, pk):
    """The quarter's inspection, on a phone: a finding per task, photos."""
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    _manage(request, agreement)
    quarter = request.GET.get("quarter")
    form = InspectionForm(request.POST or None, request.FILES or None,
                          tasks=_numbered(agreement),
                          quarter=int(quarter) if quarter in ("1", "2", "3", "4") else None)
    return service_form(
        request, form,
        save=lambda data: services.inspection_record(actor=request.user,
                                                     agreement=agreement, **data),
        success_message=_("The inspection is recorded."), next_url=agreement,
        template="standards/agreements/inspection_form.html",
        context={"agreement": agreement})


class InspectionDetailView(ObjectDetailView):
    model = AgreementInspection
    selector = selectors.inspection_get
    template_name = "standards/agreements/inspection_detail.html"
    context_object_name = "inspection"

    def get_context_data(self, **kwargs):
        inspection = self.object
        numbers = {line.task.pk: line.number for line in selectors.task_lines(
            selectors.with_tasks(Agreement.objects.filter(pk=inspection.agreement_id)))[
                inspection.agreement_id]}
        findings = [(numbers.get(f.task_id, ""), f) for f in
                    inspection.findings.select_related("task").order_by("task__order", "id")]
        return super().get_context_data(findings=findings,
                                        attachments=attachments_of(inspection), **kwargs)


@login_required
@permission_required("standards.accept_agreement", raise_exception=True)
def agreement_accept(request, pk):
    """The year-end acceptance 检查验收: a result per task and overall; then closed."""
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    _manage(request, agreement)
    form = AcceptanceForm(request.POST or None, tasks=_numbered(agreement))
    return service_form(
        request, form,
        save=lambda data: services.acceptance_record(actor=request.user,
                                                     agreement=agreement, **data),
        success_message=_("The acceptance is recorded and the agreement is closed."),
        next_url=agreement, template="standards/agreements/accept.html",
        context={"agreement": agreement}, obj=agreement)
