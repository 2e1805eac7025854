from django.urls import path

from . import token_views, views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("masuk/kode/", views.two_factor_verify, name="two_factor_verify"),
    path("profil/dua-langkah/", views.two_factor_setup, name="two_factor_setup"),
    path("profil/token-api/", token_views.api_tokens, name="api_tokens"),
    path("profil/token-api/<int:pk>/cabut/", token_views.api_token_revoke, name="api_token_revoke"),
    path("undangan/<str:token>/", views.invitation_accept, name="invitation"),
    path("sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path("sandi/lupa/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "sandi/atur/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("profil/", views.profile, name="profile"),
    path("profil/sandi/", views.password_change, name="password_change"),
    path("wilayah/<str:code>/pengguna/", views.person_list, name="person_list"),
    path("wilayah/<str:code>/pengguna/undang/", views.person_invite, name="person_invite"),
    path("wilayah/<str:code>/pengguna/impor/", views.person_import, name="person_import"),
    path("pengguna/<int:pk>/", views.person_detail, name="person_detail"),
    path("pengguna/<int:pk>/tindakan/", views.person_action, name="person_action"),
]
