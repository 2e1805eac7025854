from django.urls import path

from . import views

app_name = "announcements"
urlpatterns = [
    path("pengumuman/", views.announcement_list, name="list"),
    path("pengumuman/baru/", views.announcement_create, name="create"),
    path("pengumuman/<int:pk>/", views.announcement_detail, name="detail"),
    path("pengumuman/<int:pk>/ubah/", views.announcement_update, name="update"),
    path("pengumuman/<int:pk>/lampiran/", views.attachment_download, name="attachment"),
    path("pengumuman/<int:pk>/terbitkan/", views.announcement_publish, name="publish"),
    path("pengumuman/<int:pk>/tarik/", views.announcement_unpublish, name="unpublish"),
    path("pengumuman/<int:pk>/hapus/", views.announcement_delete, name="delete"),
]
