"""Rules of the work committee and the special associations (pure: values in, messages
out): which units have them, and what a department needs."""

from django.utils.translation import gettext as _

from .models import COMMITTEE_LEVELS


def unit_problems(level: int) -> dict[str, str]:
    """A work committee and the five special associations belong to a city or a county."""
    if level not in COMMITTEE_LEVELS:
        return {"unit": _("Only a city or a county (district) has a work committee and "
                          "special associations.")}
    return {}


def committee_problems(*, chair_name: str) -> dict[str, str]:
    if not (chair_name or "").strip():
        return {"chair_name": _("Name the committee's chair.")}
    return {}


def department_problems(*, name: str, taken: bool) -> dict[str, str]:
    if not (name or "").strip():
        return {"name": _("Name the department.")}
    if taken:
        return {"name": _("This department is already a member of the committee.")}
    return {}
