from django.urls import path

from . import views

app_name = "mentoring"
urlpatterns = [
    path(
        "usulan/<int:pk>/bagian/<int:section_pk>/komentar/", views.comment_add, name="comment_add"
    ),
    path("komentar/<int:pk>/balas/", views.comment_reply, name="comment_reply"),
    path("komentar/<int:pk>/selesai/", views.comment_resolve, name="comment_resolve"),
    path("wilayah/<str:code>/pendamping/", views.assignments, name="assignments"),
]
