"""Tell people something: a notice inside Siwanda and an email, each in the person's language."""

from django.conf import settings
from django.utils import translation

from .mail import email_person
from .models import Notice


def notify(*, users, message, params: dict | None = None, url: str = "", email: bool = True):
    """`message` is a lazy translatable text (gettext_lazy, or ngettext_lazy naming its number
    parameter) with %(name)s placeholders filled from `params`; it is rendered for each person in
    their own language (a competition's name included)."""
    notices = []
    for user in users:
        if not user.is_active:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            # Numbers stay numbers: a lazy ngettext picks its plural form from one of them.
            values = {k: v if isinstance(v, int) else str(v) for k, v in (params or {}).items()}
            text = str(message % values)
        notices.append(Notice(user=user, text=text[:500], url=url))
        if email:
            email_person(
                to=user.email,
                language=user.language,
                template="core/email/notice",
                context={"person": user, "text": text, "url": settings.SIWANDA_BASE_URL + url},
            )
    Notice.objects.bulk_create(notices)
    return notices


class Moment:
    """A moment for a notice's `params`: written out in each recipient's language, in the time
    zone of `region` (the agency's, for a presentation slot) with its suffix."""

    def __init__(self, value, region):
        self.value, self.region = value, region

    def __str__(self):
        from .templatetags.siwanda import when

        return when(self.value, self.region)


class Day:
    """A date for a notice's `params`, written out in each recipient's language."""

    def __init__(self, value):
        self.value = value

    def __str__(self):
        from .templatetags.siwanda import day

        return day(self.value) if self.value else "—"
