"""Data for the demonstration sites' tests, built through the services."""

from django.utils import timezone

from core.actors import SYSTEM
from ledgers import services as ledger_services
from ledgers.tests.files import jpeg_bytes, upload_of
from orgs import services as org_services
from orgs.models import Level
from standards import services, sites_services
from standards.tests.factories import defaults

YEAR = timezone.localdate().year


def plaque_only(tree, *, year=YEAR, indicator="plaque"):
    """The county's own 六有 of ``year``: the national defaults copied and cut to one
    computed item (``indicator``), published — so a village attains it by that item alone."""
    national = defaults(year)
    copy = services.standard_copy(actor=SYSTEM, standard=national["liuyou"], year=year,
                                  region=tree.county)
    for item in copy.items.exclude(indicator=indicator):
        services.item_remove(actor=SYSTEM, item=item)
    return services.standard_publish(actor=SYSTEM, standard=copy)


def villages(township, n, *, start=0, plaque_every=2):
    """``n`` new villages of ``township``; every ``plaque_every``-th one with its plaque."""
    made = []
    for i in range(start, start + n):
        village = org_services.unit_create(
            actor=SYSTEM, parent=township, level=Level.VILLAGE,
            code=f"{township.code}{300 + i:03d}", name=f"测试{i}村民委员会")
        org_services.profile_update(actor=SYSTEM, unit=village,
                                    has_plaque=bool(plaque_every) and i % plaque_every == 0)
        made.append(village)
    return made


def rules_document(unit, *, year=YEAR, adopted_on=None):
    clean = ledger_services.read_upload(upload_of(jpeg_bytes(), "rules.jpg"))
    return sites_services.rules_document_add(
        actor=SYSTEM, unit=unit, year=year, title="工作制度",
        adopted_on=adopted_on or timezone.localdate(), files=[(clean, "rules.jpg")])


def designate(tree, unit, *, year=YEAR, document_number="会残联发〔2026〕8号"):
    return sites_services.site_designate(
        actor=SYSTEM, county=tree.county, unit=unit, year=year,
        designated_on=timezone.localdate(), document_number=document_number)
