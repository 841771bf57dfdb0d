"""Factories shared by every app's tests: users with a role, organisations, a sample case."""

import factory
from django.contrib.auth.models import Group

from securityunion.accounts.models import Country, Organisation, User
from securityunion.casework.references import reference_next


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = Organisation.Type.NATIONAL_AUTHORITY
    country = factory.LazyFunction(lambda: Country.objects.get(pk="FR"))


class UserFactory(factory.django.DjangoModelFactory):
    """``UserFactory(role="focal_point", country=Country FR)``: a user in the role's group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    country = factory.LazyFunction(lambda: Country.objects.get(pk="FR"))
    password = factory.django.Password("test-password-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):  # noqa: ANN001, ANN003, ANN201
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


def sample_case(**kwargs):  # noqa: ANN003, ANN201
    from tests.testapp.models import SampleCase

    country = kwargs.pop("country", "FR")
    if isinstance(country, str):
        country = Country.objects.get(pk=country)
    return SampleCase.objects.create(
        reference=reference_next(SampleCase.REFERENCE_PREFIX), country=country, **kwargs
    )
