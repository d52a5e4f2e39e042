from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from orgs.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the 会宁县 demo (divisions, organisations, grids, one user per role)."

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write(_("Demo loaded. Log in with any of these (password: %(pw)s):")
                          % {"pw": DEMO_PASSWORD})
        for username, role, unit in logins:
            self.stdout.write(f"  {username:<15} {role} · {unit}")
