"""The person's own API tokens, under their profile: create one (its secret shown once), see
them, revoke one."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from siwanda.core.forms import Form, apply_errors

from . import tokens


class ApiTokenForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What uses it, e.g. “Dashboard Bappeda”."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("The token works until the end of this day. Empty: until revoked."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day <= timezone.localdate():
            raise ValidationError(_("Choose a date after today."))
        return day

    def expires_at(self):
        """The end of the chosen day in the person's time zone (None: no expiry)."""
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


@login_required
def api_tokens(request):
    """The list and the creation form. A new token's secret is in this one answer only (no
    redirect: it is stored nowhere to be shown again), which no cache may keep."""
    form = ApiTokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = tokens.api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": tokens.api_tokens_of(request.user),
            "created": created,
            "secret": secret,
            "max_tokens": tokens.MAX_ACTIVE_TOKENS,
        },
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = tokens.api_token_get_for_owner(user=request.user, token_id=pk)
    tokens.api_token_revoke(actor=request.user, token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("accounts:api_tokens")
