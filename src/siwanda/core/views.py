from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from siwanda.accounts.services import user_set_language

from .health import run_checks
from .home import home_panels


@login_required
def notices(request):
    """The person's notices; opening the page marks them read."""
    from django.utils import timezone

    from .models import Notice

    items = list(Notice.objects.filter(user=request.user)[:100])
    Notice.objects.filter(user=request.user, read_at=None).update(read_at=timezone.now())
    return render(request, "core/notices.html", {"notices": items})


def home(request):
    """Everyone's front page: visitors see the latest announcements and the way in."""
    return render(request, "core/home.html", {"panels": home_panels(request.user)})


@never_cache
def healthz(request):
    checks = run_checks()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


@require_POST
def set_language(request):
    """Switch the interface language; remembered on the person's account and in a cookie."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = redirect(target)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def csrf_failure(request, reason=""):
    return render(
        request,
        "core/error.html",
        {
            "title": _("The form has expired"),
            "message": _(
                "For your security, forms stop working after a while or after you log in again. "
                "Go back, reload the page and send the form again."
            ),
        },
        status=403,
    )


def error_403(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "title": _("You may not open this page"),
            "message": _(
                "Your role does not allow this. If you think it should, ask your secretariat."
            ),
        },
        status=403,
    )


def error_404(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "title": _("Page not found"),
            "message": _(
                "This page does not exist, or it belongs to a region or agency you cannot see."
            ),
        },
        status=404,
    )


def error_500(request):
    return render(
        request,
        "core/error.html",
        {
            "title": _("Something went wrong"),
            "message": _("The error has been recorded. Please try again in a moment."),
        },
        status=500,
    )


# --- Background exports ---------------------------------------------------------------------------


@login_required
def exports(request):
    from .models import Export

    items = list(Export.objects.filter(owner=request.user)[:50])
    return render(request, "core/exports.html", {"exports": items, "running": _running(items)})


def _running(items) -> bool:
    from .models import Export

    return any(e.status in (Export.Status.QUEUED, Export.Status.RUNNING) for e in items)


@login_required
def exports_status(request):
    """The list again, for htmx to refresh while something is being built."""
    from .models import Export

    items = list(Export.objects.filter(owner=request.user)[:50])
    return render(request, "core/exports.html#list", {"exports": items, "running": _running(items)})


@login_required
@require_POST
def export_create(request):
    from .exports import export_start

    params = {
        key: int(request.POST[key])
        for key in ("stage", "competition")
        if request.POST.get(key, "").isdigit()
    }
    export_start(actor=request.user, kind=request.POST.get("kind", ""), params=params)
    return redirect("core:exports")


@login_required
def export_download(request, pk):
    from django.shortcuts import get_object_or_404

    from .downloads import serve_private
    from .models import Export

    export = get_object_or_404(Export, pk=pk, owner=request.user, status=Export.Status.DONE)
    return serve_private(export.file, export.filename)
