from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("kompetisi/<int:pk>/hasil/", views.manage, name="manage"),
    path("kompetisi/<int:pk>/hasil/terbitkan/", views.publish, name="publish"),
    path("kompetisi/<int:pk>/hasil/lampiran-sk.pdf", views.annex, name="annex"),
    path("kategori-khusus/<int:pk>/hapus/", views.special_remove, name="special_remove"),
    path("hasil/<int:pk>/", views.public, name="public"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
    path("sertifikat/<str:code>.pdf", views.certificate, name="certificate"),
    path("sertifikat/<str:code>/surat.pdf", views.letter, name="letter"),
    path(
        "wilayah/<str:code>/templat-dokumen/<str:kind>/",
        views.document_template,
        name="document_template",
    ),
]
