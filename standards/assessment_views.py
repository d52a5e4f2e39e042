"""The 100-point assessment's pages, declared on core.views; reads through
assessment_selectors, writes through assessment_services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import (
    ListAction,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    service_form,
    submit_form,
    xlsx_export,
)
from orgs.models import Level

from . import assessment_rules as rules
from . import assessment_selectors as selectors
from . import assessment_services as services
from .assessment_exports import results_export
from .assessment_forms import (
    CategoryForm,
    RoundForm,
    SchemeCopyForm,
    SchemeCreateForm,
    SchemeForm,
    SchemeItemAddForm,
    SchemeItemForm,
    ScoreForm,
)
from .assessment_tables import SchemeTable
from .models import AssessmentItem, AssessmentScheme, AssessmentSheet

T = "standards/assessment/"


# ---- schemes ---------------------------------------------------------------------------------

class SchemeListView(ObjectListView):
    model = AssessmentScheme
    table_class = SchemeTable
    selector = selectors.scheme_list
    title = gettext_lazy("100-point assessment schemes")
    actions = [ListAction("standards:scheme_create", gettext_lazy("New scheme"),
                          "standards.add_assessmentscheme", primary=True)]


@login_required
@permission_required("standards.add_assessmentscheme", raise_exception=True)
def scheme_create(request):
    """A new draft scheme of the user's county."""
    county = request.user.unit
    if county is None or county.level != Level.COUNTY:
        raise PermissionDenied
    form = SchemeCreateForm(request.POST or None,
                            initial={"year": timezone.localdate().year})
    saved = {}

    def save(data):
        saved["scheme"] = services.scheme_create(actor=request.user, region=county, **data)
        return saved["scheme"]

    response = service_form(request, form, save=save,
                            success_message=_("The scheme is a draft: add its categories "
                                              "and items, then publish it."),
                            next_url="standards:scheme_list", template=T + "scheme_form.html",
                            context={"county": county})
    return redirect(saved["scheme"]) if "scheme" in saved else response


class SchemeDetailView(ObjectDetailView):
    model = AssessmentScheme
    selector = selectors.scheme_get
    context_object_name = "scheme"
    template_name = T + "scheme_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        outline = selectors.scheme_outline(self.object)
        round_ = selectors.rounds_of(self.object).first()
        return super().get_context_data(
            outline=outline, max_total=selectors.max_total(outline), round=round_,
            may_change=selectors.may_change(user, self.object),
            may_copy=user.has_perm("standards.add_assessmentscheme"),
            may_hold=round_ is None and not self.object.is_draft
            and user.has_perm("standards.add_assessmentround"), **kwargs)


class SchemeEditView(ObjectFormView):
    model = AssessmentScheme
    form_class = SchemeForm
    selector = selectors.scheme_get
    service = services.scheme_update
    object_argument = "scheme"
    template_name = T + "scheme_form.html"


def _scheme_action(request, pk, action, done: str):
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    try:
        action(actor=request.user, scheme=scheme)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(scheme)


@login_required
@permission_required("standards.change_assessmentscheme", raise_exception=True)
@require_POST
def scheme_publish(request, pk):
    return _scheme_action(request, pk, services.scheme_publish, _("The scheme is published."))


@login_required
@permission_required("standards.add_assessmentscheme", raise_exception=True)
def scheme_copy(request, pk):
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    form = SchemeCopyForm(request.POST or None, initial={"year": scheme.year + 1})
    saved = {}

    def save(data):
        saved["copy"] = services.scheme_copy(actor=request.user, scheme=scheme, **data)
        return saved["copy"]

    response = service_form(request, form, save=save,
                            success_message=_("The copy is a draft: change it, then publish "
                                              "it."),
                            next_url=scheme, template=T + "scheme_copy.html",
                            context={"scheme": scheme})
    return redirect(saved["copy"]) if "copy" in saved else response


@login_required
@permission_required("standards.change_assessmentscheme", raise_exception=True)
def category_add(request, pk):
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    return service_form(
        request, CategoryForm(request.POST or None),
        save=lambda data: services.category_add(actor=request.user, scheme=scheme, **data),
        success_message=_("The category is added."), next_url=scheme,
        template=T + "category_form.html", context={"scheme": scheme})


@login_required
@permission_required("standards.change_assessmentscheme", raise_exception=True)
def scheme_item_add(request, pk):
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    categories = list(scheme.categories.order_by("order", "id"))
    if not categories:
        messages.error(request, _("Add a category first: each item belongs to one."))
        return redirect(scheme)
    form = SchemeItemAddForm(request.POST or None, categories=categories,
                             initial={"category": request.GET.get("category", "")})

    def save(data):
        category = next(c for c in categories if str(c.pk) == str(data.pop("category")))
        return services.item_add(actor=request.user, category=category, **data)

    return service_form(request, form, save=save, success_message=_("The item is added."),
                        next_url=scheme, template=T + "item_form.html",
                        context={"scheme": scheme})


class SchemeItemEditView(ObjectFormView):
    model = AssessmentItem
    form_class = SchemeItemForm
    selector = selectors.scheme_item_get
    service = services.item_update
    object_argument = "item"
    permission = "standards.change_assessmentscheme"
    template_name = T + "item_form.html"

    def get_success_url(self, result):
        return self.object.category.scheme.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(scheme=self.object.category.scheme, **kwargs)


@login_required
@permission_required("standards.change_assessmentscheme", raise_exception=True)
@require_POST
def scheme_item_remove(request, pk):
    item = selectors.scheme_item_get(user=request.user, pk=pk)
    try:
        scheme = services.item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(item.category.scheme)
    messages.success(request, _("The item is removed."))
    return redirect(scheme)


# ---- the round -------------------------------------------------------------------------------

@login_required
@permission_required("standards.add_assessmentround", raise_exception=True)
def round_create(request, pk):
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    saved = {}

    def save(data):
        saved["round"] = services.round_create(actor=request.user, scheme=scheme, **data)
        return saved["round"]

    response = service_form(request, RoundForm(request.POST or None), save=save,
                            success_message=_("The round is open: each unit scores itself "
                                              "first."),
                            next_url=scheme, template=T + "round_form.html",
                            context={"scheme": scheme})
    return redirect(saved["round"]) if "round" in saved else response


@login_required
@permission_required("standards.view_assessmentround", raise_exception=True)
def round_detail(request, pk):
    """The round's table: each unit's self-, inspectors' and final score, rank, grade,
    commended or criticised; ``?export=xlsx`` the same as a workbook."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    results = selectors.round_results_for(user=request.user, round_=round_)
    items = [line.item for line in results[0].lines] if results else []
    if request.GET.get("export") == "xlsx":
        return xlsx_export(request, results_export(round_=round_, results=results,
                                                   items=items))
    user = request.user
    return render(request, T + "round_detail.html", {
        "round": round_, "scheme": round_.scheme, "results": results,
        "inspected": sum(1 for r in results if r.sheet.inspected_at is not None),
        "may_confirm": not round_.confirmed
        and user.has_perm("standards.confirm_assessmentround"),
        "may_inspect": not round_.confirmed
        and user.has_perm("standards.inspect_assessmentsheet")})


@login_required
@permission_required("standards.confirm_assessmentround", raise_exception=True)
@require_POST
def round_confirm(request, pk):
    round_ = selectors.round_get(user=request.user, pk=pk)
    try:
        services.round_confirm(actor=request.user, round_=round_)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The round is confirmed: its results are frozen."))
    return redirect(round_)


class SheetDetailView(ObjectDetailView):
    """A unit's score sheet: its breakdown per item with the evidence, and how to gain
    points."""

    model = AssessmentSheet
    selector = selectors.sheet_get
    context_object_name = "sheet"
    template_name = T + "sheet_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        sheet = self.object
        result = selectors.sheet_result(sheet)
        open_ = not sheet.round.confirmed
        return super().get_context_data(
            result=result, round=sheet.round, scheme=sheet.round.scheme,
            may_self=open_ and sheet.inspected_at is None
            and user.has_perm("standards.selfscore_assessmentsheet")
            and user.unit_id == sheet.unit_id,
            may_inspect=open_ and sheet.self_scored_at is not None
            and user.has_perm("standards.inspect_assessmentsheet"), **kwargs)


def _score_page(request, pk, *, inspector: bool):
    sheet = selectors.sheet_get(user=request.user, pk=pk)  # out of scope: a 404 first
    if not request.user.has_perm("standards.inspect_assessmentsheet" if inspector
                                 else "standards.selfscore_assessmentsheet"):
        raise PermissionDenied
    if not inspector and request.user.unit_id != sheet.unit_id:
        raise PermissionDenied  # a unit scores itself, no one else
    result = selectors.sheet_result(sheet)
    problem = (rules.inspect_problem(round_status=sheet.round.status,
                                     self_scored=sheet.self_scored_at is not None)
               if inspector else
               rules.self_score_problem(round_status=sheet.round.status,
                                        inspected=sheet.inspected_at is not None))
    if problem:
        messages.error(request, problem)
        return redirect(sheet)
    form = ScoreForm(request.POST or None, lines=result.lines, reasons=inspector)
    service = services.sheet_inspect if inspector else services.sheet_self_score
    saved, _result = submit_form(
        request, form, obj=sheet,
        save=lambda data: service(actor=request.user, sheet=sheet, **data))
    if saved:
        messages.success(request, _("The scores are saved."))
        return redirect(sheet)
    return render(request, T + "score_form.html", {
        "form": form, "sheet": sheet, "result": result, "inspector": inspector,
        "computed": [ln for ln in result.lines if ln.computed]})


@login_required
def sheet_self_score(request, pk):
    return _score_page(request, pk, inspector=False)


@login_required
def sheet_inspect(request, pk):
    return _score_page(request, pk, inspector=True)
