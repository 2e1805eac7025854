import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from siwanda.activity.selectors import activity_for_object
from siwanda.core.forms import apply_errors
from siwanda.core.import_views import import_page
from siwanda.core.pagination import paginate
from siwanda.regions.views import region_for

from . import selectors, services
from .forms import (
    InvitationAcceptForm,
    InviteForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    RoleGrantForm,
    SetPasswordForm,
    TwoFactorCodeForm,
)
from .importers import InvitationImporter
from .models import Invitation, Role
from .rules import grantable_roles
from .two_factor import NO_DEVICE_SESSION_KEY, check_code, must_use_two_factor


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# --- Signing in and out --------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not user.language and chosen:
            services.user_set_language(user=user, language=chosen)
        return response


def lockout_response(request, original_response=None, credentials=None):
    """django-axes calls this when an account is locked: the login page, the email kept, a clear
    message of how long to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    email = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": email})
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_minutes": minutes},
        status=429,
    )


class LogoutView(auth_views.LogoutView):
    pass


# --- Two-factor login ---------------------------------------------------------------------------


def _qr_data_uri(device: TOTPDevice) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def two_factor_verify(request):
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
        if device is None:  # reset by an administrator meanwhile
            return redirect("accounts:two_factor_setup")
        try:
            check_code(device, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            return redirect(safe_next(request, reverse("core:home")))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {
            "form": form,
            "next": safe_next(request, ""),
        },
    )


@login_required
def two_factor_setup(request):
    """Turn on two-factor login: scan the QR code, confirm with a code; or turn it off."""
    user = request.user
    required = must_use_two_factor(user)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is not None and user.is_verified():
        if request.method == "POST" and request.POST.get("action") == "disable":
            try:
                services.two_factor_remove(actor=user, user=user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("Two-factor login is turned off."))
            return redirect("accounts:two_factor_setup")
        return render(
            request,
            "accounts/two_factor_setup.html",
            {
                "enabled": True,
                "required": required,
            },
        )

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = services.two_factor_start(user=user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_confirm(user=user, device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            request.session.pop(NO_DEVICE_SESSION_KEY, None)
            messages.success(request, _("Two-factor login is turned on."))
            return redirect("core:home")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "enabled": False,
            "required": required,
            "form": form,
            "qr": _qr_data_uri(device),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


# --- Invitations and passwords -------------------------------------------------------------------


def invitation_accept(request, token):
    invitation = (
        Invitation.objects.select_related("user", "region")
        .filter(token_hash=services.token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return render(
            request, "accounts/invitation_invalid.html", {"invitation": invitation}, status=410
        )
    form = InvitationAcceptForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                position=form.cleaned_data["position"],
                phone=form.cleaned_data["phone"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Siwanda. Your account is ready."))
            return redirect("core:home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "form": form,
            "invitation": invitation,
        },
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        services.user_set_password(
            actor=self.user,
            user=self.user,
            password=form.cleaned_data["new_password1"],
            action="person.password_reset",
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your password has been set. You can log in now."))
        return redirect(self.success_url)


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(
            actor=request.user,
            user=request.user,
            password=form.cleaned_data["new_password1"],
            action="person.password_changed",
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


# --- Own profile ---------------------------------------------------------------------------------


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(actor=user, user=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "assignments": user.role_assignments.select_related("region", "agency"),
            "two_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        },
    )


# --- People of a region (secretariat) ------------------------------------------------------------


STATUS_FILTERS = {
    "invited": {"has_pending_invitation": True},
    "locked": {"has_failed_logins": True},
    "inactive": {"is_active": False},
}


@login_required
def person_list(request, code):
    region = region_for(request, code, "accounts.manage_people")
    search = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    status = request.GET.get("status", "")
    qs = selectors.person_list(user=request.user, region=region, search=search, role=role)
    if status in STATUS_FILTERS:
        qs = qs.filter(**STATUS_FILTERS[status])
    return render(
        request,
        "accounts/person_list.html",
        {
            "region": region,
            "page": paginate(request, qs),
            "search": search,
            "role": role,
            "status": status,
            "roles": Role.choices,
        },
    )


@login_required
def person_invite(request, code):
    region = region_for(request, code, "accounts.manage_people")
    roles = grantable_roles(request.user, region)
    form = InviteForm(
        request.POST or None,
        region=region,
        roles=roles,
        initial={
            "role": request.GET.get("role", Role.OPERATOR),
            "agency": request.GET.get("agency"),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_invite(actor=request.user, region=region, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})
            if "add_another" in request.POST:
                return redirect("accounts:person_invite", code=region.code)
            return redirect("accounts:person_detail", pk=user.pk)
    return render(request, "accounts/person_invite.html", {"region": region, "form": form})


@login_required
def person_import(request, code):
    region = region_for(request, code, "accounts.manage_people")
    importer = InvitationImporter(region=region, roles=grantable_roles(request.user, region))

    def save(rows):
        for row in rows:
            services.user_invite(actor=request.user, region=region, **row)
        return len(rows)

    return import_page(
        request,
        kind="people",
        importer=importer,
        save=save,
        context={
            "region": region,
            "title": _("Invite people from a spreadsheet"),
            "back_url": reverse("accounts:person_list", args=[region.code]),
            "help": _(
                "One person per row. The first row names the columns; Email, Name and Role are "
                "required. Role is one of: operator, kepala (agency head), sekretariat, mentor, "
                "juri, pimpinan. Agency is the name or code of one of the region's agencies and is "
                "required for operators and agency heads. Each person receives an invitation by "
                "email."
            ),
        },
        done_url=reverse("accounts:person_list", args=[region.code]),
    )


def person_for(request, pk, perm="accounts.view_person"):
    person = get_object_or_404(selectors.people_visible_to(request.user), pk=pk)
    if not request.user.has_perm(perm, person):
        raise PermissionDenied
    return person


@login_required
def person_detail(request, pk):
    person = person_for(request, pk)
    can_manage = request.user.has_perm("accounts.manage_person", person)
    assignments = list(selectors.person_roles_visible_to(user=request.user, person=person))
    region = next((a.region for a in assignments if a.region_id), None)
    grant_form = None
    if can_manage and region is not None:
        grant_form = RoleGrantForm(region=region, roles=grantable_roles(request.user, region))
    annotated = selectors.with_status(type(person).objects.filter(pk=person.pk)).get()
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "status": annotated,
            "assignments": assignments,
            "region": region,
            "can_manage": can_manage,
            "grant_form": grant_form,
            "two_factor": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
            "invitation": person.invitations.first(),
            "history": activity_for_object(user=request.user, target=person)[:50],
        },
    )


@login_required
@require_POST
def person_action(request, pk):
    """The buttons of a person's page: one service call each."""
    person = person_for(request, pk, "accounts.manage_person")
    action = request.POST.get("action")
    try:
        if action == "resend_invitation":
            services.invitation_resend(actor=request.user, user=person)
            messages.success(request, _("A new invitation has been sent."))
        elif action in ("deactivate", "reactivate"):
            services.user_set_active(actor=request.user, user=person, active=action == "reactivate")
            messages.success(request, _("The account has been updated."))
        elif action == "unlock":
            services.user_unlock(actor=request.user, user=person)
            messages.success(request, _("The account is unlocked: the person can log in again."))
        elif action == "reset_two_factor":
            services.two_factor_remove(actor=request.user, user=person)
            messages.success(request, _("Two-factor login has been reset for this person."))
        elif action == "revoke_role":
            assignment = get_object_or_404(
                selectors.person_roles_visible_to(user=request.user, person=person),
                pk=request.POST.get("assignment"),
            )
            services.role_revoke(actor=request.user, assignment=assignment)
            messages.success(request, _("The role has been removed."))
        elif action == "grant_role":
            return _grant_role(request, person)
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("accounts:person_detail", pk=person.pk)


def _grant_role(request, person):
    assignments = selectors.person_roles_visible_to(user=request.user, person=person)
    region = next((a.region for a in assignments if a.region_id), None)
    form = RoleGrantForm(request.POST, region=region, roles=grantable_roles(request.user, region))
    if form.is_valid():
        try:
            services.role_grant(
                actor=request.user,
                user=person,
                role=form.cleaned_data["role"],
                region=region,
                agency=form.cleaned_data["agency"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The role has been added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("accounts:person_detail", pk=person.pk)
