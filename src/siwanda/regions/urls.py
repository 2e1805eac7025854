from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("wilayah/", views.region_list, name="list"),
    path("wilayah/<str:code>/", views.region_detail, name="detail"),
    path("wilayah/<str:code>/perangkat-daerah/", views.agency_list, name="agency_list"),
    path("wilayah/<str:code>/perangkat-daerah/tambah/", views.agency_create, name="agency_create"),
    path("wilayah/<str:code>/perangkat-daerah/impor/", views.agency_import, name="agency_import"),
    path("perangkat-daerah/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("perangkat-daerah/<int:pk>/ubah/", views.agency_update, name="agency_update"),
    path("perangkat-daerah/<int:pk>/status/", views.agency_set_active, name="agency_set_active"),
]
