from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from orgs.demo import COUNTY_CODE, DEMO_PASSWORD, load_demo
from orgs.models import OrgUnit
from people.models import Person


def _people_in_county() -> int:
    county = OrgUnit.objects.active().filter(code=COUNTY_CODE).first()
    return Person.objects.within(county).count() if county is not None else 0


class Command(BaseCommand):
    help = ("Load the 会宁县 demo (divisions, organisations, grids, synthetic people, one user "
            "per role).")

    def handle(self, *args, **options):
        before = _people_in_county()
        logins = load_demo()
        total = _people_in_county()
        self.stdout.write(_("People: %(new)d loaded now, %(total)d registered in the demo "
                            "county.") % {"new": total - before, "total": total})
        self.stdout.write(_("Demo loaded. Log in with any of these (password: %(pw)s):")
                          % {"pw": DEMO_PASSWORD})
        for username, role, unit in logins:
            self.stdout.write(f"  {username:<15} {role} · {unit}")
