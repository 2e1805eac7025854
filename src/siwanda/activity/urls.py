from django.urls import path

from . import views

app_name = "activity"
urlpatterns = [
    path("wilayah/<str:code>/aktivitas/", views.region_log, name="region_log"),
]
