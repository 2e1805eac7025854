from django.core.exceptions import PermissionDenied


def require_perm(actor, perm: str, obj=None) -> None:
    """Services check permissions themselves so that pages, the API and commands share one rule.

    `actor=None` means the system itself (a management command or migration), which may do
    anything; only code can pass it.
    """
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied
