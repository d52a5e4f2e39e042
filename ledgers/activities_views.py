"""The pages of the assistance and volunteer activities, the roster, the hours and the
certificates: declared views on the selectors and services (core/views.py)."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pdf import PDF, render_pdf
from core.views import (
    REPEATED_MESSAGE,
    ListAction,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    is_repeat,
    set_download_name,
    submit_form,
)

from . import activities_exports as exports
from . import activities_selectors as selectors
from . import activities_services as services
from .activities_filters import (
    AssistanceFilterSet,
    VolunteerActivityFilterSet,
    VolunteerFilterSet,
)
from .activities_forms import (
    AssistanceForm,
    CertificateForm,
    VolunteerActivityForm,
    VolunteerForm,
    YearForm,
)
from .activities_tables import (
    AssistanceTable,
    VolunteerActivityTable,
    VolunteerHoursTable,
    VolunteerTable,
)
from .models import AssistanceActivity, Volunteer, VolunteerActivity
from .selectors import attachments_of
from .views import PaperListView

CERTIFICATE_CSS = Path(__file__).resolve().parent / "print" / "certificate.css"
UPLOAD_FIELDS = ("photo", "attachments")


class _EntryFormView(ObjectFormView):
    """An activity's form: the user's scope for the pickers, the files to the service."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def service_kwargs(self, data: dict) -> dict:
        data = {k: v for k, v in data.items() if k not in UPLOAD_FIELDS}
        return super().service_kwargs(data)


# ---- assistance activities ------------------------------------------------------------------

class AssistanceListView(PaperListView):
    model = AssistanceActivity
    filterset_class = AssistanceFilterSet
    table_class = AssistanceTable
    selector = selectors.assistance_list
    title = gettext_lazy("Assistance activities")
    search_label = gettext_lazy("Find assistance activities")
    actions = (ListAction("ledgers:assistance_create", gettext_lazy("Record an activity"),
                          "ledgers.add_assistanceactivity", primary=True),)
    export_name = exports.ASSISTANCE_BOOK
    export_columns = exports.assistance_columns
    export_rows = exports.assistance_rows
    export_url_name = "ledgers:assistance_export"


class AssistanceDetailView(ObjectDetailView):
    model = AssistanceActivity
    selector = selectors.assistance_get
    context_object_name = "activity"
    template_name = "ledgers/activities/assistance_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            people=selectors.people_of(self.object),
            attachments=attachments_of(self.object),
            can_change=self.request.user.has_perm("ledgers.change_assistanceactivity"),
            **kwargs)


class AssistanceCreateView(_EntryFormView):
    model = AssistanceActivity
    form_class = AssistanceForm
    service = services.assistance_create
    template_name = "ledgers/activities/assistance_form.html"
    success_message = gettext_lazy("The activity is recorded.")


class AssistanceEditView(_EntryFormView):
    model = AssistanceActivity
    form_class = AssistanceForm
    selector = selectors.assistance_get
    service = services.assistance_update
    object_argument = "activity"
    context_object_name = "activity"
    template_name = "ledgers/activities/assistance_form.html"


@login_required
@permission_required("people.view_person", raise_exception=True)
def person_pick(request):
    """The person picker's list (htmx): up to 20 people of the user's scope that ``?q=``
    names, as boxes to tick (people already ticked, ``?people=``, are left out)."""
    query = (request.GET.get("q") or "")[:50]
    field = "people"
    chosen = [v for v in request.GET.getlist(field) if v.isdigit()]
    found = selectors.person_pick(user=request.user, query=query, exclude=chosen)
    return render(request, "ledgers/activities/_person_options.html", {
        "found": found, "query": query, "field_name": field,
        "limit": selectors.PICK_LIMIT})


# ---- the volunteer roster -------------------------------------------------------------------

class VolunteerListView(PaperListView):
    model = Volunteer
    filterset_class = VolunteerFilterSet
    table_class = VolunteerTable
    selector = selectors.volunteer_list
    title = gettext_lazy("Volunteer roster")
    search_label = gettext_lazy("Find volunteers")
    actions = (
        ListAction("ledgers:volunteer_create", gettext_lazy("Add a volunteer"),
                   "ledgers.add_volunteer", primary=True),
        ListAction("ledgers:volunteer_hours", gettext_lazy("Hours per year"),
                   "ledgers.view_volunteer"),
        ListAction("ledgers:volunteer_activity_list", gettext_lazy("Volunteer activities"),
                   "ledgers.view_volunteeractivity"),
    )
    export_name = exports.ROSTER_BOOK
    export_columns = exports.volunteer_columns
    export_rows = exports.volunteer_rows
    export_url_name = "ledgers:volunteer_export"


def _year(request) -> tuple[YearForm, int]:
    form = YearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
    return form, year or timezone.localdate().year


class VolunteerDetailView(ObjectDetailView):
    """A volunteer: their hours per year (from their services, whatever unit held the
    activity), the services of the year chosen, their certificates."""

    model = Volunteer
    selector = selectors.volunteer_get
    template_name = "ledgers/volunteers/volunteer_detail.html"

    def get_context_data(self, **kwargs):
        form, year = _year(self.request)
        return super().get_context_data(
            year_form=form, year=year, years=selectors.volunteer_years(self.object),
            services=list(selectors.volunteer_services(self.object, year)),
            certificates=selectors.volunteer_certificates(self.object), **kwargs)


class VolunteerCreateView(ObjectFormView):
    model = Volunteer
    form_class = VolunteerForm
    service = services.volunteer_create
    template_name = "ledgers/volunteers/volunteer_form.html"
    success_message = gettext_lazy("The volunteer is on the roster.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class VolunteerEditView(VolunteerCreateView):
    selector = selectors.volunteer_get
    service = services.volunteer_update
    success_message = gettext_lazy("Saved.")


class VolunteerHoursView(ObjectListView):
    """Each volunteer's activities and hours in a year (?year=, this year by default)."""

    model = Volunteer
    filterset_class = VolunteerFilterSet
    table_class = VolunteerHoursTable
    template_name = "ledgers/volunteers/hours.html"
    search_label = gettext_lazy("Find volunteers")

    def get_title(self):
        return _("Volunteer hours in %(year)s") % {"year": self.year}

    def get(self, request, *args, **kwargs):
        self.year_form, self.year = _year(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.hours_by_volunteer(user=self.request.user, year=self.year,
                                            filters=self.filterset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.year, year_form=self.year_form, **kwargs)


@login_required
@permission_required("ledgers.add_volunteercertificate", raise_exception=True)
def certificate_issue(request, pk):
    """Issue an hours certificate for a period (a year by default), then print it."""
    volunteer = selectors.volunteer_get(user=request.user, pk=pk)
    _form, year = _year(request)
    form = CertificateForm(request.POST or None, user=request.user, year=year)

    def save(data):
        return services.certificate_issue(actor=request.user, volunteer=volunteer, **data)

    saved, result = submit_form(request, form, save=save)
    if saved:
        if is_repeat(result):
            messages.success(request, REPEATED_MESSAGE)
            return redirect(volunteer)
        messages.success(request, _("Certificate %(number)s is issued.") % {
            "number": result.number})
        return redirect(volunteer)
    return render(request, "ledgers/volunteers/certificate_form.html", {
        "form": form, "volunteer": volunteer, "year": year})


@login_required
@permission_required("ledgers.view_volunteercertificate", raise_exception=True)
def certificate_pdf(request, pk):
    """A certificate as it was issued (its number, hours and activities kept), as PDF."""
    certificate = selectors.certificate_get(user=request.user, pk=pk)
    content = render_pdf("ledgers/print/certificate.html", {"certificate": certificate},
                         stylesheets=[CERTIFICATE_CSS])
    response = HttpResponse(content, content_type=PDF)
    set_download_name(response, f"志愿服务时长证明-{certificate.number}.pdf")
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline", 1)
    return response


# ---- volunteer activities -------------------------------------------------------------------

class VolunteerActivityListView(PaperListView):
    model = VolunteerActivity
    filterset_class = VolunteerActivityFilterSet
    table_class = VolunteerActivityTable
    selector = selectors.volunteer_activity_list
    title = gettext_lazy("Volunteer activities")
    search_label = gettext_lazy("Find volunteer activities")
    actions = (
        ListAction("ledgers:volunteer_activity_create", gettext_lazy("Record an activity"),
                   "ledgers.add_volunteeractivity", primary=True),
        ListAction("ledgers:volunteer_list", gettext_lazy("Volunteer roster"),
                   "ledgers.view_volunteer"),
    )
    export_name = exports.VOLUNTEER_BOOK
    export_columns = exports.volunteer_activity_columns
    export_rows = exports.volunteer_activity_rows
    export_url_name = "ledgers:volunteer_activity_export"


class VolunteerActivityDetailView(ObjectDetailView):
    model = VolunteerActivity
    selector = selectors.volunteer_activity_get
    context_object_name = "activity"
    template_name = "ledgers/volunteers/activity_detail.html"

    def get_context_data(self, **kwargs):
        services_ = selectors.activity_services(self.object)
        return super().get_context_data(
            people=selectors.people_of(self.object), services=services_,
            total=sum((s.hours for s in services_), 0),
            attachments=attachments_of(self.object),
            can_change=self.request.user.has_perm("ledgers.change_volunteeractivity"),
            **kwargs)


class VolunteerActivityCreateView(_EntryFormView):
    model = VolunteerActivity
    form_class = VolunteerActivityForm
    service = services.volunteer_activity_create
    template_name = "ledgers/volunteers/activity_form.html"
    success_message = gettext_lazy("The activity is recorded.")

    def get_form_kwargs(self):
        activity = self.object
        hours = {}
        if activity is not None:
            hours = dict(activity.services.values_list("volunteer_id", "hours"))
        return {**super().get_form_kwargs(), "hours": hours,
                "volunteers": selectors.volunteer_candidates(user=self.request.user,
                                                             activity=activity)}


class VolunteerActivityEditView(VolunteerActivityCreateView):
    selector = selectors.volunteer_activity_get
    service = services.volunteer_activity_update
    object_argument = "activity"
    context_object_name = "activity"
    success_message = gettext_lazy("Saved.")
