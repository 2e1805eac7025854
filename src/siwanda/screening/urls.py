from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("kompetisi/<int:pk>/seleksi/", views.screening_list, name="list"),
    path("kompetisi/<int:pk>/seleksi/periksa-ulang/", views.refresh_all, name="refresh_all"),
    path("kompetisi/<int:pk>/seleksi/putuskan/", views.decide_bulk, name="decide_bulk"),
    path("kompetisi/<int:pk>/ikhtisar/", views.overview, name="overview"),
    path("usulan/<int:pk>/seleksi/", views.review, name="review"),
    path("usulan/<int:pk>/keberatan/", views.objection_submit, name="objection_submit"),
    path("keberatan/<int:pk>/putuskan/", views.objection_decide, name="objection_decide"),
]
