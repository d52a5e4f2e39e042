import factory

from accounts import services
from accounts.models import User
from accounts.roles import Role
from core.actors import SYSTEM

PASSWORD = "canlian-test-pw-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.VILLAGE_OFFICER
    unit = None
    full_name = factory.Sequence(lambda n: f"用户{n}")

    @classmethod
    def _create(cls, model_class, *args, password=PASSWORD, **kwargs):
        return services.user_create(actor=SYSTEM, password=password, **kwargs)
