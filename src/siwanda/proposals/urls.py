from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("usulan/", views.proposal_list, name="list"),
    path("kompetisi/<int:competition_pk>/usulan/baru/", views.proposal_create, name="create"),
    path("usulan/<int:pk>/", views.proposal_detail, name="detail"),
    path("usulan/<int:pk>/tulis/", views.proposal_edit, name="edit"),
    path("usulan/<int:pk>/judul/", views.proposal_header, name="header"),
    path("usulan/<int:pk>/jawaban/<int:field_pk>/", views.answer_save, name="answer"),
    path("usulan/<int:pk>/bagian/<int:section_pk>/", views.section_save, name="section"),
    path("usulan/<int:pk>/hadir/<int:section_pk>/", views.presence, name="presence"),
    path("usulan/<int:pk>/berkas/<int:field_pk>/", views.attachment_add, name="attachment_add"),
    path("usulan/berkas/<int:pk>/hapus/", views.attachment_remove, name="attachment_remove"),
    path("usulan/berkas/<int:pk>/unduh/", views.attachment_download, name="attachment_download"),
    path("usulan/<int:pk>/periksa/", views.proposal_check, name="check"),
    path("usulan/<int:pk>/pdf/", views.proposal_pdf, name="pdf"),
    path("usulan/<int:pk>/riwayat/", views.proposal_history, name="history"),
    path("usulan/<int:pk>/kirim/", views.proposal_send, name="send"),
    path("usulan/<int:pk>/setujui/", views.proposal_approve, name="approve"),
    path("usulan/<int:pk>/kembalikan/", views.proposal_return, name="return"),
    path("usulan/<int:pk>/tarik/", views.proposal_withdraw, name="withdraw"),
]
