from django.urls import include, path

urlpatterns = [
    path("", include("siwanda.core.urls")),
    path("", include("siwanda.accounts.urls")),
    path("", include("siwanda.regions.urls")),
    path("", include("siwanda.activity.urls")),
    path("", include("siwanda.innovations.urls")),
    path("", include("siwanda.competitions.urls")),
    path("", include("siwanda.proposals.urls")),
    path("", include("siwanda.mentoring.urls")),
    path("", include("siwanda.screening.urls")),
    path("", include("siwanda.judging.urls")),
    path("", include("siwanda.results.urls")),
    path("", include("siwanda.catalogue.urls")),
    path("", include("siwanda.insights.urls")),
    path("", include("siwanda.announcements.urls")),
    path("api/", include("siwanda.api_urls")),
]

handler403 = "siwanda.core.views.error_403"
handler404 = "siwanda.core.views.error_404"
handler500 = "siwanda.core.views.error_500"
