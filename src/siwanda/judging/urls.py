from django.urls import path

from .views import decisions, schedule, scoring, setup

app_name = "judging"
urlpatterns = [
    # The secretariat sets judging up
    path("kompetisi/<int:pk>/penjurian/", setup.stages, name="stages"),
    path("kompetisi/<int:pk>/penjurian/tahap-baru/", setup.stage_add, name="stage_add"),
    path("tahap/<int:pk>/", setup.stage_detail, name="stage"),
    path("tahap/<int:pk>/aksi/<str:action>/", setup.stage_action, name="stage_action"),
    path("tahap/<int:pk>/rubrik/", setup.rubric, name="rubric"),
    path("tahap/<int:pk>/rubrik/kriteria/", setup.criterion_edit, name="criterion_add"),
    path(
        "tahap/<int:pk>/rubrik/kriteria/<int:criterion_pk>/",
        setup.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "tahap/<int:pk>/rubrik/kriteria/<int:criterion_pk>/hapus/",
        setup.criterion_delete,
        name="criterion_delete",
    ),
    path("tahap/<int:pk>/panel/", setup.panel, name="panel"),
    path("tahap/<int:pk>/panel/<int:member_pk>/", setup.panel_member, name="panel_member"),
    path("tahap/<int:pk>/penugasan/", setup.assignments, name="assignments"),
    path("tahap/<int:pk>/kalibrasi/", setup.calibration, name="calibration"),
    # Decisions
    path("tahap/<int:pk>/peringkat/", decisions.ranking, name="ranking"),
    path("tahap/<int:pk>/keputusan/", decisions.outcomes, name="outcomes"),
    path("moderasi/<int:pk>/", decisions.moderation, name="moderation"),
    # Presentations and field visits
    path("tahap/<int:pk>/jadwal/", schedule.schedule, name="schedule"),
    path("jadwal/<int:pk>/pindah/", schedule.slot_move, name="slot_move"),
    path("tahap/<int:pk>/ruang/", schedule.room, name="room"),
    path("tahap/<int:pk>/kunjungan/", schedule.visits, name="visits"),
    path("kunjungan/<int:pk>/", schedule.visit, name="visit"),
    path("kunjungan/foto/<int:pk>/", schedule.visit_photo, name="visit_photo"),
    # Jurors
    path("penilaian/", scoring.my_assignments, name="my_assignments"),
    path("penilaian/<int:pk>/", scoring.sheet, name="sheet"),
    path("penilaian/<int:pk>/simpan/", scoring.score_autosave, name="autosave"),
    path("penilaian/<int:pk>/konflik/", scoring.recuse, name="recuse"),
    path(
        "penilaian/<int:pk>/berkas/<int:attachment_pk>/",
        scoring.sheet_attachment,
        name="attachment",
    ),
]
