from django import template
from django.utils import translation

from siwanda.core.files import allowed_text as allowed
from siwanda.core.text import count_words
from siwanda.innovations.choices import SDG_CHOICES

register = template.Library()


@register.filter
def words(value) -> int:
    return count_words(value)


@register.simple_tag
def choice_label(field, choice) -> str:
    if translation.get_language() == "en":
        return choice.get("label_en") or choice.get("label", "")
    return choice.get("label", "")


@register.simple_tag
def allowed_text(field) -> str:
    return allowed(field.allowed_types, field.max_size_mb)


@register.simple_tag
def sdg_choices():
    return SDG_CHOICES


@register.filter
def shown(item) -> str:
    """An answer as the reader sees it (choice labels, SDG names), for read-only pages."""
    field, value = item.field, item.value
    if value in (None, "", []):
        return ""
    if field.type == "sdgs":
        labels = dict(SDG_CHOICES)
        return ", ".join(str(labels.get(n, n)) for n in value)
    if field.type in ("single_choice", "multiple_choice"):
        values = value if isinstance(value, list) else [value]
        return ", ".join(field.choice_label(v) for v in values)
    return str(value)
