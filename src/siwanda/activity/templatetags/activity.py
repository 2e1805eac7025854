from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from siwanda.activity.actions import action_label as label_of

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return label_of(code)


def _shown(value, choices) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(
            str(item.get("name", item)) if isinstance(item, dict) else _shown(item, choices)
            for item in value
        )
    if choices and value in choices:
        return str(choices[value])
    return str(value)


@register.simple_tag
def change_rows(entry) -> list[tuple[str, str, str]]:
    """(field label, before, after) in the reader's language, for an entry's recorded changes."""
    model = entry.target_type.model_class()
    rows = []
    for name, change in entry.changes.items():
        try:
            field = model._meta.get_field(name)
            label = capfirst(field.verbose_name)
            choices = dict(field.flatchoices) if field.choices else None
        except (FieldDoesNotExist, AttributeError):
            label, choices = name, None
        rows.append((label, _shown(change["before"], choices), _shown(change["after"], choices)))
    return rows
