"""The REST API under /api/: one namespaced router (an un-namespaced `proposal-list` once
collided with a page of the same name), the OpenAPI document at /api/schema/ and its Swagger UI
at /api/docs/."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.routers import SimpleRouter

from siwanda.catalogue.api import CatalogueViewSet, ReplicationRequestViewSet
from siwanda.innovations.api import InnovationViewSet
from siwanda.judging.api import AssignmentViewSet, StageViewSet
from siwanda.proposals.api import ProposalViewSet
from siwanda.results.api import CertificateViewSet, PublishedResultViewSet

router = SimpleRouter()
router.register("innovations", InnovationViewSet, basename="innovation")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("stages", StageViewSet, basename="stage")
router.register("results", PublishedResultViewSet, basename="result")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("catalogue", CatalogueViewSet, basename="catalogue")
router.register("replication-requests", ReplicationRequestViewSet, basename="replication-request")


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other /api/ address (an id that is not a number, a misspelt path): the API's JSON
    404, not the site's HTML page (nor, for a POST, its HTML CSRF refusal: it changes nothing)."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)


urlpatterns = [
    path("", include((router.urls, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI, served from drf-spectacular-sidecar's static files. The split view loads its
    # start-up script from ?script= (script-src 'self') rather than inline, and our template
    # drops the inline <style>, so the site's strict CSP needs no exception here.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="core/api_docs.html"
        ),
        name="api-docs",
    ),
    # Last. Only addresses ending in "/", so that one without it is still redirected to it.
    re_path(r"^[\s\S]*/$", not_found),
]
