from decimal import Decimal

from django.urls import reverse

from siwanda.judging import services
from siwanda.judging.models import Stage
from siwanda.results import services as results
from tests.helpers import login


def get(client, user, name, **kw):
    login(client, user)
    r = client.get(reverse(name, kwargs=kw))
    assert r.status_code == 200, (name, r.status_code, r.content[:3000])
    return r


def test_pages(client, people, competition, screened, jurors, django_capture_on_commit_callbacks):
    sec = people["secretariat"]
    get(client, sec, "judging:stages", pk=competition.pk)
    client.post(reverse("judging:stages", args=[competition.pk]), {"template": "regency"})
    desk, pres = competition.stages.order_by("order")
    for name in [
        "judging:stage",
        "judging:rubric",
        "judging:panel",
        "judging:assignments",
        "judging:calibration",
        "judging:ranking",
    ]:
        get(client, sec, name, pk=desk.pk)
    get(client, sec, "judging:stage_add", pk=competition.pk)
    c = desk.rubric.criteria.first()
    get(client, sec, "judging:criterion_edit", pk=desk.pk, criterion_pk=c.pk)
    for j in jurors:
        services.panel_add(actor=sec, stage=desk, juror=j, is_chair=j == jurors[0])
    services.assign_automatic(actor=sec, stage=desk)
    get(client, sec, "judging:assignments", pk=desk.pk)
    get(client, sec, "judging:panel", pk=desk.pk)
    services.calibration_start(actor=sec, stage=desk, proposal=screened[0])
    services.stage_open(actor=sec, stage=desk)
    desk.refresh_from_db()
    a = desk.assignments.filter(calibration=False).first()
    get(client, a.juror, "judging:my_assignments")
    get(client, a.juror, "judging:sheet", pk=a.pk)
    login(client, a.juror)
    r = client.post(reverse("judging:autosave", args=[a.pk]), {"criterion": c.pk, "value": "101"})
    assert r.status_code == 400, r.content
    r = client.post(reverse("judging:autosave", args=[a.pk]), {"criterion": c.pk, "value": "80"})
    assert r.json()["ok"]
    for a in desk.assignments.select_related("stage__rubric"):
        for cc in desk.rubric.criteria.all():
            services.score_save(
                actor=a.juror,
                assignment=a,
                criterion=cc,
                value=Decimal(50 + (a.proposal_id * 7 + a.juror_id * 13) % 45),
            )
        services.sheet_submit(actor=a.juror, assignment=a)
    get(client, sec, "judging:calibration", pk=desk.pk)
    get(client, sec, "judging:ranking", pk=desk.pk)
    services.stage_close(actor=sec, stage=desk)
    r = get(client, sec, "judging:ranking", pk=desk.pk)
    for m in desk.moderations.all():
        get(client, jurors[0], "judging:moderation", pk=m.pk)
        services.moderation_decide(
            actor=jurors[0], moderation=m, consensus=None, justification="ok"
        )
    services.stage_save(actor=sec, competition=competition, stage=desk, top_n=3)
    login(client, sec)
    client.post(reverse("judging:outcomes", args=[desk.pk]), {"action": "suggest"})
    client.post(reverse("judging:outcomes", args=[desk.pk]), {"action": "apply"})
    pres = Stage.objects.get(pk=pres.pk)
    assert pres.entries.count() == 3
    for j in jurors:
        services.panel_add(actor=sec, stage=pres, juror=j)
    services.assign_automatic(actor=sec, stage=pres)
    login(client, sec)
    r = client.post(
        reverse("judging:schedule", args=[pres.pk]),
        {
            "days": "2030-01-02",
            "start": "08:00",
            "end": "16:00",
            "break_minutes": "0",
            "rooms": "Aula\nZoom",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    get(client, sec, "judging:schedule", pk=pres.pk)
    slot = pres.slots.first()
    get(client, sec, "judging:slot_move", pk=slot.pk)
    get(client, sec, "judging:room", pk=pres.pk)
    get(client, jurors[1], "judging:room", pk=pres.pk)
    services.stage_open(actor=sec, stage=pres)
    pres.refresh_from_db()
    for a in pres.assignments.select_related("stage__rubric"):
        for cc in pres.rubric.criteria.all():
            services.score_save(
                actor=a.juror, assignment=a, criterion=cc, value=70 + a.proposal_id % 10
            )
        services.sheet_submit(actor=a.juror, assignment=a)
    services.stage_close(actor=sec, stage=pres)
    for m in pres.moderations.all():
        services.moderation_decide(actor=sec, moderation=m, consensus=None, justification="ok")
    services.stage_save(actor=sec, competition=competition, stage=pres, top_n=2)
    services.outcomes_stage(actor=sec, stage=pres)
    services.outcomes_apply(actor=sec, stage=pres)
    get(client, sec, "results:manage", pk=competition.pk)
    services.special_award_add(
        actor=sec,
        competition=competition,
        proposal=screened[5],
        name="Kategori Partisipatif",
        name_en="",
        reason="Warga",
    )
    with django_capture_on_commit_callbacks(execute=True):
        pub = results.results_publish(actor=sec, competition=competition)
    r = get(client, sec, "results:manage", pk=competition.pk)
    login(client, sec)
    r = client.get(reverse("results:manage", args=[competition.pk]) + "?check=1")
    assert "the same ranking" in r.content.decode()
    client.logout()
    r = client.get(reverse("results:public", args=[competition.pk]))
    assert r.status_code == 200
    cert = pub.certificates.first()
    r = client.get(reverse("results:verify", args=[cert.code]))
    assert r.status_code == 200
    login(client, sec)
    for name in ["results:certificate", "results:letter"]:
        r = client.get(reverse(name, args=[cert.code]))
        assert r.status_code == 200 and r.content[:4] == b"%PDF"
    r = client.get(reverse("results:annex", args=[competition.pk]))
    assert r.content[:4] == b"%PDF"
    get(client, sec, "results:document_template", code="73.22", kind="certificate")
    with django_capture_on_commit_callbacks(execute=True):
        for kind, params in [
            ("judging.stage", {"stage": desk.pk}),
            ("judging.final", {"competition": competition.pk}),
            ("judging.jury_book", {"stage": pres.pk}),
        ]:
            client.post(reverse("core:export_create"), {"kind": kind, **params})
    r = get(client, sec, "core:exports")
    from siwanda.core.models import Export

    for e in Export.objects.all():
        assert e.status == "done", (e.kind, e.error)
        r = client.get(reverse("core:export_download", args=[e.pk]))
        assert r.status_code == 200
