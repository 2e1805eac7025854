"""The proposal's revision history: its state at any saved moment, and a readable word-level
difference between two moments."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Revision

TOKEN = re.compile(r"\s+|[^\s]+")


def state_at(proposal, revision: Revision) -> dict:
    """field_id -> value as it stood right after `revision` was saved."""
    state = {}
    for rev in Revision.objects.filter(proposal=proposal, saved_at__lte=revision.saved_at).order_by(
        "saved_at", "id"
    ):
        state[rev.field_id] = rev.value
    return state


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def word_diff(before, after):
    """HTML with deleted words in <del> and added words in <ins>, everything else escaped."""
    old, new = TOKEN.findall(_text(before)), TOKEN.findall(_text(after))
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(old[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(new[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def compare(proposal, older: Revision, newer: Revision, fields) -> list[dict]:
    """The questions that differ between two moments, with their word-level difference."""
    before, after = state_at(proposal, older), state_at(proposal, newer)
    return [
        {"field": field, "diff": word_diff(before.get(field.pk), after.get(field.pk))}
        for field in fields
        if before.get(field.pk) != after.get(field.pk)
    ]
