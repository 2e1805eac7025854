from django.urls import path

from . import views

app_name = "innovations"
urlpatterns = [
    path("inovasi/", views.innovation_list, name="list"),
    path("inovasi/tambah/", views.innovation_create, name="create"),
    path("inovasi/<int:pk>/", views.innovation_detail, name="detail"),
    path("inovasi/<int:pk>/ubah/", views.innovation_update, name="update"),
    path("inovasi/<int:pk>/bukti/", views.evidence_add, name="evidence_add"),
    path("inovasi/<int:pk>/sk/", views.decree_upload, name="decree_upload"),
    path("inovasi/<int:pk>/sk/unduh/", views.decree_download, name="decree_download"),
    path("inovasi/<int:pk>/penghargaan/", views.award_add, name="award_add"),
    path("inovasi/bukti/<int:pk>/unduh/", views.evidence_download, name="evidence_download"),
    path("inovasi/bukti/<int:pk>/hapus/", views.evidence_remove, name="evidence_remove"),
    path("inovasi/bukti/<int:pk>/verifikasi/", views.evidence_verify, name="evidence_verify"),
]
