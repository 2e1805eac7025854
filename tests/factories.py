import factory

from siwanda.accounts.models import AGENCY_ROLES, RoleAssignment, User
from siwanda.regions.models import Agency, Region

PASSWORD = "a-Strong-passw0rd"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    region = factory.LazyFunction(lambda: Region.objects.get(code="73.22"))
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    kind = Agency.Kind.DINAS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def person_with_role(role, *, region=None, agency=None, **fields) -> User:
    """A person holding `role` (None: no role at all), created directly, not through a service."""
    user = UserFactory(**fields)
    if role is not None:
        if role in AGENCY_ROLES:
            region = agency.region
        RoleAssignment.objects.create(user=user, role=role, region=region, agency=agency)
    return user
