"""What an answer may hold for each kind of question: cleaning input, saying when it is empty,
counting words. Pure functions over a FormField and a value."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from siwanda.competitions.models import FieldType

TEXT_LIMIT = 100_000  # characters; far beyond any word limit, a guard against abuse


def clean_value(field, raw):
    """The value to store for `raw` input, or ValidationError. Text over its word limit is kept
    (nothing typed is lost); the limit is enforced when the proposal is sent."""
    kind = field.type
    if raw is None:
        return None
    if kind in (FieldType.LONG_TEXT, FieldType.SHORT_TEXT):
        text = str(raw)
        if len(text) > TEXT_LIMIT:
            raise ValidationError(_("This text is far too long."))
        return text if kind == FieldType.LONG_TEXT else " ".join(text.split())
    if isinstance(raw, str) and not raw.strip():
        return None
    if kind == FieldType.NUMBER:
        try:
            number = Decimal(str(raw).replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("Enter a number, e.g. 150 or 2.5.")) from None
        if not number.is_finite():
            raise ValidationError(_("Enter a number, e.g. 150 or 2.5."))
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == FieldType.DATE:
        try:
            return datetime.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise ValidationError(_("Enter a date.")) from None
    if kind == FieldType.URL:
        value = str(raw).strip()
        if "://" not in value:
            value = f"https://{value}"
        URLValidator(schemes=["http", "https"], message=_("Enter a full web address."))(value)
        return value
    if kind == FieldType.SINGLE_CHOICE:
        values = {str(choice["value"]) for choice in field.choices}
        if str(raw) not in values:
            raise ValidationError(_("Choose one of the options."))
        return str(raw)
    if kind == FieldType.MULTIPLE_CHOICE:
        chosen = [str(v) for v in (raw if isinstance(raw, list) else [raw])]
        values = {str(choice["value"]) for choice in field.choices}
        if not set(chosen) <= values:
            raise ValidationError(_("Choose among the options."))
        return sorted(set(chosen), key=lambda v: [str(c["value"]) for c in field.choices].index(v))
    if kind == FieldType.SDGS:
        try:
            chosen = sorted({int(v) for v in (raw if isinstance(raw, list) else [raw])})
        except (TypeError, ValueError):
            raise ValidationError(_("Choose among the 17 goals.")) from None
        if any(n < 1 or n > 17 for n in chosen):
            raise ValidationError(_("Choose among the 17 goals."))
        return chosen
    raise ValidationError(_("Files are uploaded, not typed."))


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    return False
