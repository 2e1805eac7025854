"""The small POST endpoints behind buttons: run one service call, say how it went, go back."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

FAILED = object()


def report(request, call, success):
    """Run `call()` and return its result; show `success` (a text, or a function of the result
    giving one), or each message of the ValidationError it raised and return FAILED."""
    try:
        result = call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return FAILED
    messages.success(request, success(result) if callable(success) else success)
    return result


def form_action(request, form, call, success: str, back: str):
    """Validate `form`, then `call(cleaned_data)` as in report(); the form's own errors are
    shown the same way. Redirects to `back` in every case."""
    if form.is_valid():
        report(request, lambda: call(form.cleaned_data), success)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(back)


def save_form(request, form, call, success):
    """On POST, validate `form` and return `call(cleaned_data)`, saying `success` (a text, or a
    function of the result giving one). A ValidationError of the service is shown on the form,
    which keeps everything typed. FAILED when nothing was saved (not a POST, or refused)."""
    from .forms import apply_errors

    if request.method != "POST" or not form.is_valid():
        return FAILED
    try:
        result = call(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return FAILED
    messages.success(request, success(result) if callable(success) else success)
    return result
