"""Roles and the Django permissions each one holds. The role decides what a user may do;
the user's unit decides which rows (core.scope)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.models import Level


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    TOWNSHIP_OFFICER = "township_officer", _("Township officer")
    VILLAGE_OFFICER = "village_officer", _("Village liaison officer")
    LEADER = "leader", _("Leader")
    AUDITOR = "auditor", _("Auditor")


_READ_NETWORK = {
    "orgs.view_orgunit",
    "orgs.view_orgprofile",
    "orgs.view_reform",
}
_READ_REGISTER = {
    "people.view_person",
    "people.view_need",
    "people.view_visit",
    "people.view_jobseeker",
    "people.view_transfer",
    "people.export_person",
}
_READ_WORKFORCE = {
    "workforce.view_worker",
    "workforce.view_appointment",
    "workforce.view_post",
    "workforce.view_trainingsession",
    "workforce.view_attendance",
    "workforce.view_appraisal",
    "workforce.view_awardround",
    "workforce.view_nomination",
}
_KEEP_WORKFORCE = _READ_WORKFORCE | {
    "workforce.add_worker",
    "workforce.change_worker",
    "workforce.add_appointment",
    "workforce.change_appointment",
    "workforce.export_worker",
    "workforce.add_trainingsession",
    "workforce.change_trainingsession",
    "workforce.add_attendance",
    "workforce.add_appraisal",
    "workforce.change_appraisal",
    "workforce.add_awardround",
    "workforce.change_awardround",
    "workforce.add_nomination",
}
# Subsidies and payroll: township officers read their subtree's, administrators run it.
_READ_PAYROLL = {
    "workforce.view_subsidypolicy",
    "workforce.view_payrollrun",
}
_RUN_PAYROLL = _READ_PAYROLL | {
    "workforce.add_subsidypolicy",
    "workforce.change_subsidypolicy",
    "workforce.add_payrollrun",
    "workforce.confirm_payrollrun",
    "workforce.add_payrollline",
}
# The ledgers (七表一录一记…): everyone who works in the network reads them and keeps their
# own unit's; each ledger adds its model's permissions to these two sets.
_READ_LEDGERS = {
    "ledgers.view_attachment",
    # the work record book, meetings, the annual plan (records)
    "ledgers.view_workentry",
    "ledgers.view_workentrynote",
    "ledgers.view_meeting",
    "ledgers.view_annualplan",
    "ledgers.view_planitem",
    "ledgers.view_planfulfilment",
}
_KEEP_LEDGERS = _READ_LEDGERS | {
    "ledgers.add_attachment",
    # the work record book, meetings, the annual plan (records)
    "ledgers.add_workentry",
    "ledgers.change_workentry",
    "ledgers.add_workentrynote",
    "ledgers.add_meeting",
    "ledgers.change_meeting",
    "ledgers.add_annualplan",
    "ledgers.change_annualplan",
    "ledgers.add_planfulfilment",
    "ledgers.delete_planfulfilment",
}
# Assistance and volunteer activities, the volunteer roster, hours certificates (issue 14).
_READ_LEDGERS |= {
    "ledgers.view_assistanceactivity",
    "ledgers.view_volunteer",
    "ledgers.view_volunteeractivity",
    "ledgers.view_volunteerservice",
    "ledgers.view_volunteercertificate",
}
_KEEP_LEDGERS |= _READ_LEDGERS | {
    "ledgers.add_assistanceactivity",
    "ledgers.change_assistanceactivity",
    "ledgers.add_volunteer",
    "ledgers.change_volunteer",
    "ledgers.add_volunteeractivity",
    "ledgers.change_volunteeractivity",
    "ledgers.add_volunteercertificate",
}
_KEEP_REGISTER = _READ_REGISTER | {
    "people.add_person",
    "people.change_person",
    "people.add_need",
    "people.change_need",
    "people.add_visit",
    "people.add_jobseeker",
    "people.change_jobseeker",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        _READ_NETWORK
        | _KEEP_REGISTER
        | _KEEP_WORKFORCE
        | _RUN_PAYROLL
        | _KEEP_LEDGERS
        | {
            "workforce.view_bank_account",
            "workforce.change_staffingnorm",
            "workforce.confirm_appraisal",
            "orgs.add_orgunit",
            "orgs.change_orgunit",
            "orgs.change_orgprofile",
            "orgs.import_divisions",
            "orgs.add_reform",
            "orgs.change_reform",
            "orgs.apply_reform",
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "audit.view_auditlog",
        }
    ),
    Role.TOWNSHIP_OFFICER: frozenset(
        _READ_NETWORK
        | _KEEP_REGISTER
        | _KEEP_WORKFORCE
        | _READ_PAYROLL
        | _KEEP_LEDGERS
        | {
            "orgs.add_orgunit",
            "orgs.change_orgunit",
            "orgs.change_orgprofile",
            "accounts.view_user",
        }
    ),
    Role.VILLAGE_OFFICER: frozenset(
        _READ_NETWORK
        | _KEEP_REGISTER
        | _READ_WORKFORCE
        | _KEEP_LEDGERS
        | {"orgs.add_orgunit", "orgs.change_orgunit", "orgs.change_orgprofile"}
    ),
    Role.LEADER: frozenset(_READ_NETWORK | _READ_REGISTER | _READ_WORKFORCE | _READ_LEDGERS
                           | {"accounts.view_user"}),
    Role.AUDITOR: frozenset({"audit.view_auditlog"}),
}

# The levels a unit may have for a user of each role.
ROLE_LEVELS: dict[str, frozenset[int]] = {
    Role.ADMIN: frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY}),
    Role.TOWNSHIP_OFFICER: frozenset({Level.TOWNSHIP}),
    Role.VILLAGE_OFFICER: frozenset({Level.VILLAGE}),
    Role.LEADER: frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP}),
    Role.AUDITOR: frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY}),
}


# An administrator's title says the level of their unit: 省级管理员, 市级管理员, 县级管理员.
ADMIN_LABELS: dict[int, str] = {
    Level.PROVINCE: _("Province administrator"),
    Level.CITY: _("City administrator"),
    Level.COUNTY: _("County administrator"),
}


def role_permissions(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())


def role_label(role: str, level: int | None) -> str:
    """The name of ``role`` as shown for a user at a unit of ``level``: an administrator's
    says the level; every other role, and an administrator of no known level, its own."""
    if role == Role.ADMIN and level in ADMIN_LABELS:
        return str(ADMIN_LABELS[level])
    return str(Role(role).label) if role in Role.values else ""


# ---- letters and visits 来信来访 (issue 14) ----------------------------------------------------
# Petitions are personal data: read and kept by the administrators and the township and
# village officers only (their own subtree). Leaders see the counts on their home page, not
# the petitions; auditors nothing (the audit log names which fields changed, not their
# values). The categories are kept by the administrators.
_PETITION_COUNTS = {"ledgers.count_petition"}
_KEEP_PETITIONS = _PETITION_COUNTS | {
    "ledgers.view_petition",
    "ledgers.add_petition",
    "ledgers.change_petition",
    "ledgers.export_petition",
    "ledgers.view_petitioncategory",
}
_KEEP_PETITION_CATEGORIES = {
    "ledgers.add_petitioncategory",
    "ledgers.change_petitioncategory",
}
ROLE_PERMISSIONS[Role.ADMIN] = ROLE_PERMISSIONS[Role.ADMIN] | _KEEP_PETITIONS \
    | _KEEP_PETITION_CATEGORIES
ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] = ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] \
    | _KEEP_PETITIONS
ROLE_PERMISSIONS[Role.VILLAGE_OFFICER] = ROLE_PERMISSIONS[Role.VILLAGE_OFFICER] \
    | _KEEP_PETITIONS
ROLE_PERMISSIONS[Role.LEADER] = ROLE_PERMISSIONS[Role.LEADER] | _PETITION_COUNTS

# ---- standards 九有/六有/三个百分之百 (issue 16) -------------------------------------------
# Everyone who works in the network reads the standards and their attainment; the
# administrators (county and above) copy and change them; the administrators and the
# township and village officers confirm the items a person confirms, with evidence.
_READ_STANDARDS = {
    "standards.view_standard",
    "standards.view_standarditem",
    "standards.view_itemconfirmation",
}
_KEEP_STANDARDS = {
    "standards.add_standard",
    "standards.change_standard",
    "standards.add_standarditem",
    "standards.change_standarditem",
    "standards.delete_standarditem",
}
_CONFIRM_STANDARDS = {
    "standards.add_itemconfirmation",
    "standards.change_itemconfirmation",
    "standards.delete_itemconfirmation",
}
ROLE_PERMISSIONS[Role.ADMIN] = ROLE_PERMISSIONS[Role.ADMIN] | _READ_STANDARDS \
    | _KEEP_STANDARDS | _CONFIRM_STANDARDS
ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] = ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] \
    | _READ_STANDARDS | _CONFIRM_STANDARDS
ROLE_PERMISSIONS[Role.VILLAGE_OFFICER] = ROLE_PERMISSIONS[Role.VILLAGE_OFFICER] \
    | _READ_STANDARDS | _CONFIRM_STANDARDS
ROLE_PERMISSIONS[Role.LEADER] = ROLE_PERMISSIONS[Role.LEADER] | _READ_STANDARDS

# ---- frozen year-end figures 冻结数据 (issue 17) -------------------------------------------
# The county and city (and province) administrators freeze a year's summary tables and
# attainment of their area; everyone who reads those reports reads their frozen versions.
_READ_SNAPSHOTS = {"core.view_snapshot"}
_FREEZE = {"core.add_snapshot"}
ROLE_PERMISSIONS[Role.ADMIN] = ROLE_PERMISSIONS[Role.ADMIN] | _READ_SNAPSHOTS | _FREEZE
for _role in (Role.TOWNSHIP_OFFICER, Role.VILLAGE_OFFICER, Role.LEADER):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _READ_SNAPSHOTS
# ---- responsibility agreements 目标责任书 (issue 16) -------------------------------------------
# The administrators and the township officers manage the agreements whose 甲方 is in their
# subtree (draft, sign, inspect each quarter, accept at the year's end); a village officer
# and a leader read the agreements where their subtree is a party (the scope decides which).
_READ_AGREEMENTS = {
    "standards.view_agreement",
    "standards.view_agreementtask",
    "standards.view_agreementinspection",
    "standards.view_agreementfinding",
}
_KEEP_AGREEMENTS = _READ_AGREEMENTS | {
    "standards.add_agreement",
    "standards.change_agreement",
    "standards.add_agreementtask",
    "standards.delete_agreementtask",
    "standards.add_agreementinspection",
    "standards.accept_agreement",
}
ROLE_PERMISSIONS[Role.ADMIN] = ROLE_PERMISSIONS[Role.ADMIN] | _KEEP_AGREEMENTS
ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] = ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] \
    | _KEEP_AGREEMENTS
ROLE_PERMISSIONS[Role.VILLAGE_OFFICER] = ROLE_PERMISSIONS[Role.VILLAGE_OFFICER] \
    | _READ_AGREEMENTS
ROLE_PERMISSIONS[Role.LEADER] = ROLE_PERMISSIONS[Role.LEADER] | _READ_AGREEMENTS

# ---- the 100-point assessment 百分制目标考核 (issue 16) --------------------------------------
# The county's administrators build the schemes, hold the rounds, score the units as the
# inspectors and confirm the round; the township and village officers score their own unit
# and read its breakdown (the administrators hold that right too, as every right of the
# roles beneath them, but a sheet is scored by its own unit only); the leaders read the
# results.
_READ_ASSESSMENT = {
    "standards.view_assessmentscheme",
    "standards.view_assessmentround",
    "standards.view_assessmentsheet",
}
_KEEP_ASSESSMENT = {
    "standards.add_assessmentscheme",
    "standards.change_assessmentscheme",
    "standards.add_assessmentround",
    "standards.confirm_assessmentround",
    "standards.inspect_assessmentsheet",
}
_SELF_SCORE = {"standards.selfscore_assessmentsheet"}
ROLE_PERMISSIONS[Role.ADMIN] = ROLE_PERMISSIONS[Role.ADMIN] | _READ_ASSESSMENT \
    | _KEEP_ASSESSMENT | _SELF_SCORE
ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] = ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] \
    | _READ_ASSESSMENT | _SELF_SCORE
ROLE_PERMISSIONS[Role.VILLAGE_OFFICER] = ROLE_PERMISSIONS[Role.VILLAGE_OFFICER] \
    | _READ_ASSESSMENT | _SELF_SCORE
ROLE_PERMISSIONS[Role.LEADER] = ROLE_PERMISSIONS[Role.LEADER] | _READ_ASSESSMENT

# ---- demonstration sites 示范点 and rules documents (issue 16) ---------------------------------
# Everyone who reads the standards reads the sites, the targets and the rules documents (and
# their files); the county's administrators set the targets and designate and withdraw the
# sites; the administrators and the township and village officers attach a unit's rules.
_READ_SITES = {
    "standards.view_demosite",
    "standards.view_demositetarget",
    "standards.view_rulesdocument",
}
_KEEP_SITES = {
    "standards.add_demosite",
    "standards.change_demosite",
    "standards.add_demositetarget",
    "standards.change_demositetarget",
}
_ATTACH_RULES = {"standards.add_rulesdocument"}
ROLE_PERMISSIONS[Role.ADMIN] = ROLE_PERMISSIONS[Role.ADMIN] | _READ_SITES | _KEEP_SITES \
    | _ATTACH_RULES
ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] = ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] \
    | _READ_SITES | _ATTACH_RULES
ROLE_PERMISSIONS[Role.VILLAGE_OFFICER] = ROLE_PERMISSIONS[Role.VILLAGE_OFFICER] \
    | _READ_SITES | _ATTACH_RULES
ROLE_PERMISSIONS[Role.LEADER] = ROLE_PERMISSIONS[Role.LEADER] | _READ_SITES

# ---- the work committee 残工委 and the special associations 专门协会 (issue 18) -------------
# The county's and the city's administrators keep their committee (chairs, member departments
# with their duties) and their five associations with their members; everyone else who
# works in the network, and the leaders, read them (the scope decides whose).
_READ_COMMITTEE = {
    "orgs.view_workcommittee",
    "orgs.view_committeedepartment",
    "orgs.view_specialassociation",
    "ledgers.view_associationmember",
}
_KEEP_COMMITTEE = _READ_COMMITTEE | {
    "orgs.add_workcommittee",
    "orgs.change_workcommittee",
    "orgs.add_specialassociation",
    "orgs.change_specialassociation",
    "ledgers.add_associationmember",
    "ledgers.change_associationmember",
    "ledgers.delete_associationmember",
}
ROLE_PERMISSIONS[Role.ADMIN] = ROLE_PERMISSIONS[Role.ADMIN] | _KEEP_COMMITTEE
for _role in (Role.TOWNSHIP_OFFICER, Role.VILLAGE_OFFICER, Role.LEADER):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _READ_COMMITTEE

# ---- the yearly work report 汇报材料 (issue 18) ----------------------------------------------
# The administrators and the leaders generate their units' yearly work report (figures of
# the whole area, no personal data) and read the templates; the administrators write the
# template their area's reports follow.
_GENERATE_WORK_REPORT = {"reports.generate_workreport", "reports.view_workreporttemplate"}
_KEEP_WORK_REPORT_TEMPLATE = {"reports.add_workreporttemplate",
                              "reports.change_workreporttemplate"}
ROLE_PERMISSIONS[Role.ADMIN] = ROLE_PERMISSIONS[Role.ADMIN] | _GENERATE_WORK_REPORT \
    | _KEEP_WORK_REPORT_TEMPLATE
ROLE_PERMISSIONS[Role.LEADER] = ROLE_PERMISSIONS[Role.LEADER] | _GENERATE_WORK_REPORT

# ---- funds 经费 (issue 18) ---------------------------------------------------------------------
# The administrators and the township officers keep the funds ledger of the units of their
# subtree (a transfer down is written by the paying unit); the village officers read their
# own (and the transfers they received), the leaders and the auditors read.
_READ_FUNDS = {"ledgers.view_fundentry"}
_KEEP_FUNDS = _READ_FUNDS | {"ledgers.add_fundentry", "ledgers.change_fundentry"}
for _role in (Role.ADMIN, Role.TOWNSHIP_OFFICER):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _KEEP_FUNDS
for _role in (Role.VILLAGE_OFFICER, Role.LEADER, Role.AUDITOR):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _READ_FUNDS
