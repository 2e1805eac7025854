"""The REST API under /api/: one namespaced router (an un-namespaced `proposal-list` once
collided with a page of the same name) and the OpenAPI document at /api/schema/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

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

urlpatterns = [
    path("", include((router.urls, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
