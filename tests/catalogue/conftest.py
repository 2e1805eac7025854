"""Fixtures of the catalogue tests (see builders.py)."""

import pytest

from tests.catalogue.builders import make_agencies, make_library


@pytest.fixture
def gorontalo(db):
    from siwanda.regions.models import Region

    return Region.objects.get(code="75.01")


@pytest.fixture
def agencies(people, luwu_utara, gorontalo):
    return make_agencies(people, luwu_utara, gorontalo)


@pytest.fixture
def library(agencies):
    """Six published innovations and two that are not (see builders.make_library)."""
    return make_library(agencies)
