"""Test set-up shared by every layer."""

import os
import tempfile

import pytest

# Playwright's sync API runs an event loop in the test thread; Django checks this at call time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

INTEGRATION_FILES = ("test_views", "test_api", "test_permission_matrix", "test_urls")


def pytest_configure(config):
    """Test settings, applied once: pytest-django has configured Django before any conftest is
    imported, so environment variables set here would come too late."""
    from django.conf import settings
    from django.test.signals import setting_changed

    overrides = {
        # Tests read messages in the source language; the tests of the Indonesian default set
        # LANGUAGE_CODE back to "id" themselves (browsers send Accept-Language: id).
        "LANGUAGE_CODE": "en",
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
        "STORAGES": {
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": tempfile.mkdtemp(prefix="siwanda-test-media-")},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }
    for name, value in overrides.items():
        setattr(settings, name, value)
        setting_changed.send(sender=None, setting=name, value=value, enter=True)


def pytest_collection_modifyitems(items):
    """Mark every test with its layer, from where it lives: tests/e2e/ is end-to-end, view and
    API tests are integration, the rest unit."""
    for item in items:
        path = item.path.as_posix()
        if "/tests/e2e/" in path:
            item.add_marker(pytest.mark.e2e)
        elif item.path.stem.startswith(INTEGRATION_FILES):
            item.add_marker(pytest.mark.integration)
        else:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def luwu_utara(db):
    from siwanda.regions.models import Region

    return Region.objects.get(code="73.22")


@pytest.fixture
def other_regency(db):
    """Kabupaten Luwu Timur: a neighbour whose data Luwu Utara must never see."""
    from siwanda.regions.models import Region

    return Region.objects.get(code="73.24")


@pytest.fixture
def people(db, luwu_utara, other_regency):
    """One person per role in Luwu Utara, and a secretariat and an operator next door."""
    from tests.builders import make_people

    return make_people(luwu_utara, other_regency)


@pytest.fixture
def competition(people, luwu_utara):
    """KIPP of Luwu Utara from the ready template, open for 30 more days."""
    from tests.builders import competition_from_template

    return competition_from_template(people["secretariat"], luwu_utara)


@pytest.fixture
def innovation(people):
    from tests.builders import innovation_for

    return innovation_for(people["operator"], people["agency"])


@pytest.fixture
def proposal(competition, innovation, people):
    """A draft of Dinas Kesehatan in the open competition."""
    from tests.builders import start_proposal

    return start_proposal(competition, people["operator"], innovation)
