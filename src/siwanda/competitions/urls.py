from django.urls import path

from . import views

app_name = "competitions"
urlpatterns = [
    path("kompetisi/", views.competition_list, name="list"),
    path("kompetisi/baru/", views.competition_create, name="create"),
    path("kompetisi/<int:pk>/", views.competition_detail, name="detail"),
    path("kompetisi/<int:pk>/atur/<slug:step>/", views.competition_setup, name="setup"),
    path("kompetisi/<int:pk>/buka/", views.competition_open, name="open"),
    path(
        "kompetisi/<int:pk>/seleksi/mulai/",
        views.competition_start_screening,
        name="start_screening",
    ),
    path("kompetisi/<int:pk>/penjaringan/", views.competition_entries, name="entries"),
    path("kompetisi/<int:pk>/ingatkan/", views.competition_remind, name="remind"),
    path("kompetisi/<int:pk>/perpanjangan/", views.competition_extend, name="extend"),
    path("kompetisi/<int:pk>/tolak/<int:agency_pk>/", views.competition_decline, name="decline"),
    path("formulir/<int:pk>/", views.form_edit, name="form_edit"),
    path("formulir/<int:pk>/bagian/tambah/", views.form_section, name="form_section_add"),
    path(
        "formulir/<int:pk>/bagian/<int:section_pk>/", views.form_section, name="form_section_edit"
    ),
    path(
        "formulir/bagian/<int:section_pk>/pertanyaan/tambah/",
        views.form_field,
        name="form_field_add",
    ),
    path(
        "formulir/bagian/<int:section_pk>/pertanyaan/<int:field_pk>/",
        views.form_field,
        name="form_field_edit",
    ),
    path("formulir/<slug:kind>/<int:pk>/<slug:action>/", views.form_item_action, name="form_item"),
    path("formulir/<int:pk>/terbitkan/", views.form_publish, name="form_publish"),
    path("formulir/<int:pk>/versi-baru/", views.form_new_version, name="form_new_version"),
]
