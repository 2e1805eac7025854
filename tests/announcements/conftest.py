"""Announcements of Luwu Utara, its province and the nation, and of the neighbour Luwu Timur."""

import pytest

from siwanda.announcements import services
from siwanda.regions.models import Region


@pytest.fixture
def province(db):
    return Region.objects.get(code="73")


@pytest.fixture
def nation(db):
    return Region.objects.get(code="ID")


@pytest.fixture
def post(people):
    """post(region, title, published=True, **fields): an announcement of `region`, posted by the
    system administrator (who may post for any region)."""

    def make(region, title, *, published=True, kind="news", body="Isi pengumuman.", **fields):
        return services.announcement_create(
            actor=people["admin"],
            region=region,
            kind=kind,
            title=title,
            body=body,
            publish=published,
            **fields,
        )

    return make
