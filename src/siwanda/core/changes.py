from contextlib import contextmanager

from django.core.exceptions import ValidationError


@contextmanager
def unchanged_if_refused(instance, fields):
    """An update service sets new values on the instance, then validates them. When the values
    are refused, put the stored ones back: the caller's page must not show refused values as
    if they were saved."""
    try:
        yield
    except ValidationError:
        instance.refresh_from_db(fields=list(fields))
        raise
