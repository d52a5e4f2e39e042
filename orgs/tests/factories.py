import factory

from core.actors import SYSTEM
from orgs import services
from orgs.models import Level, OrgUnit


class OrgUnitFactory(factory.django.DjangoModelFactory):
    """Units are made through the service, so their paths are right."""

    class Meta:
        model = OrgUnit

    parent = None
    level = Level.VILLAGE
    name = factory.Sequence(lambda n: f"单位{n}")
    code = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.unit_create(actor=SYSTEM, **kwargs)
