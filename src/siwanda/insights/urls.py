from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/ingatkan/", views.remind, name="remind"),
    path("dasbor/provinsi/<int:region_id>/", views.province, name="province"),
    path(
        "dasbor/provinsi/<int:region_id>/<slug:key>.csv",
        views.province_csv,
        name="province_csv",
    ),
    path("dasbor/<slug:key>.csv", views.dataset_csv, name="csv"),
]
