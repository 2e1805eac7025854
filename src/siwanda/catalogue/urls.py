from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("katalog/", views.catalogue, name="list"),
    path("katalog/unduh.<str:fmt>", views.download, name="download"),
    path("katalog/<int:pk>/", views.detail, name="detail"),
    path("katalog/<int:pk>/replikasi/", views.replication_new, name="replication_new"),
    path("katalog/bukti/<int:pk>/", views.evidence, name="evidence"),
    path("katalog/daerah/<str:code>/replikasi/", views.region_replications, name="region"),
    path("inovasi/<int:pk>/publikasi/", views.publish, name="publish"),
    path("inovasi/<int:pk>/publikasi/tarik/", views.unpublish, name="unpublish"),
    path("replikasi/", views.requests, name="requests"),
    path("replikasi/<int:pk>/", views.request_detail, name="request"),
    path("replikasi/<int:pk>/jawab/", views.request_answer, name="request_answer"),
    path("replikasi/<int:pk>/pesan/", views.request_message, name="request_message"),
    path("replikasi/<int:pk>/selesai/", views.request_complete, name="request_complete"),
]
