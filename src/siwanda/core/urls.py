from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("bahasa/", views.set_language, name="set_language"),
    path("pemberitahuan/", views.notices, name="notices"),
    path("ekspor/", views.exports, name="exports"),
    path("ekspor/status/", views.exports_status, name="exports_status"),
    path("ekspor/baru/", views.export_create, name="export_create"),
    path("ekspor/<int:pk>/unduh/", views.export_download, name="export_download"),
]
