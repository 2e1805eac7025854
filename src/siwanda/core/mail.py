"""Email to people, written in their language and sent by a background worker after commit."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import send_email


def email_person(*, to: str, language: str, template: str, context: dict) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` in `language` and queue the mail
    once the current transaction commits (nothing is sent for a change that rolls back)."""
    context = {"base_url": settings.SIWANDA_BASE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    transaction.on_commit(lambda: send_email.enqueue(to=[to], subject=subject, body=body))
