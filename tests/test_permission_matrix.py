"""Every page × every role: who is let in, who is refused, and that refused people see no data.

Expected outcomes: "ok" (200), "redirect" (on to the page the person may use), "login" (redirect
to the login page), "deny" (403 or 404, and the page shows nothing of the object). A test also
fails when a URL of ours is missing here, so a new
page cannot escape the matrix.
"""

import pytest
from django.urls import get_resolver, reverse

from tests.helpers import login

ROLES = [
    "anonymous",
    "admin",
    "secretariat",
    "operator",
    "other_operator",
    "head",
    "mentor",
    "juror",
    "leadership",
    "neighbour_secretariat",
    "neighbour_operator",
    "nobody",
]
EVERYONE = {r: "ok" for r in ROLES if r != "anonymous"} | {"anonymous": "login"}


def only(*allowed):
    return {r: ("ok" if r in allowed else "deny") for r in ROLES} | {"anonymous": "login"}


# url name -> (kwargs builder, expected outcome per role, text that must not leak to the refused)
REGION_READERS = ("admin", "secretariat", "mentor", "juror", "leadership")
AGENCY_PEOPLE = ("operator", "other_operator", "head")
PROPOSAL_READERS = ("admin", "secretariat", "operator", "head", "mentor")
MANAGERS = ("admin", "secretariat")
SECRET = "Dapur Sehat Atasi Stunting"
JUDGED = "Inovasi Dinas Kesehatan 0"  # a proposal of the judged competition
DRAFT = "Isi draf pengumuman"  # the text of an unpublished announcement
REPLICATION = "Mohon berbagi cara kerjanya"  # a replication request's message
PUBLIC = dict.fromkeys(ROLES, "ok")

MATRIX = {
    "core:home": (lambda w: {}, PUBLIC, None),
    "core:notices": (lambda w: {}, EVERYONE, None),
    "core:exports": (lambda w: {}, EVERYONE, None),
    "core:exports_status": (lambda w: {}, EVERYONE, None),
    # The public catalogue: the world's innovation is not published, another one is, and a
    # neighbour's operator asked to replicate it.
    "catalogue:list": (lambda w: {}, PUBLIC, None),
    "catalogue:download": (lambda w: {"fmt": "csv"}, PUBLIC, None),
    "catalogue:region": (lambda w: {"code": "73.22"}, PUBLIC, None),
    "catalogue:detail": (
        lambda w: {"pk": w["innovation"].pk},
        dict.fromkeys(ROLES, "deny"),
        SECRET,
    ),
    "catalogue:evidence": (lambda w: {"pk": w["evidence"].pk}, dict.fromkeys(ROLES, "deny"), None),
    "catalogue:replication_new": (
        lambda w: {"pk": w["published"].pk},
        only("operator", "neighbour_operator"),
        None,
    ),
    "catalogue:publish": (lambda w: {"pk": w["innovation"].pk}, only(*MANAGERS), SECRET),
    "catalogue:requests": (lambda w: {}, EVERYONE, None),
    "catalogue:request": (
        lambda w: {"pk": w["replication"].pk},
        only(
            "admin",
            "secretariat",
            "leadership",
            "other_operator",
            "neighbour_operator",
            "neighbour_secretariat",
        ),
        REPLICATION,
    ),
    # Dashboards: a region's secretariat and leadership see their own region's.
    "insights:dashboard": (
        lambda w: {},
        only(*MANAGERS, "leadership", "neighbour_secretariat"),
        None,
    ),
    "insights:csv": (
        lambda w: {"key": "oaoi"},
        only(*MANAGERS, "leadership", "neighbour_secretariat"),
        None,
    ),
    "insights:province": (lambda w: {"region_id": w["province"].pk}, only("admin"), None),
    "insights:province_csv": (
        lambda w: {"region_id": w["province"].pk, "key": "comparison"},
        only("admin"),
        None,
    ),
    # Announcements: published ones are public; a draft (and its PDF) and every writing page
    # belong to the region's secretariat and the system administrator.
    "announcements:list": (lambda w: {}, PUBLIC, None),
    "announcements:detail": (
        lambda w: {"pk": w["announcement_draft"].pk},
        only(*MANAGERS) | {"anonymous": "deny"},
        DRAFT,
    ),
    "announcements:attachment": (
        lambda w: {"pk": w["announcement_draft"].pk},
        only(*MANAGERS) | {"anonymous": "deny"},
        None,
    ),
    "announcements:create": (lambda w: {}, only(*MANAGERS, "neighbour_secretariat"), None),
    "announcements:update": (lambda w: {"pk": w["announcement_draft"].pk}, only(*MANAGERS), DRAFT),
    # An export is its owner's alone.
    "core:export_download": (lambda w: {"pk": w["export"].pk}, only("secretariat"), None),
    # A person of one region goes straight to it; a system administrator sees them all.
    "regions:list": (
        lambda w: {},
        only("admin")
        | dict.fromkeys(
            ["secretariat", "mentor", "juror", "leadership", "neighbour_secretariat"], "redirect"
        ),
        None,
    ),
    "regions:detail": (lambda w: {"code": "73.22"}, only(*REGION_READERS), "Kabupaten Luwu Utara"),
    "regions:agency_list": (lambda w: {"code": "73.22"}, only(*REGION_READERS), "Dinas Pendidikan"),
    "regions:agency_create": (lambda w: {"code": "73.22"}, only(*MANAGERS), "Kabupaten Luwu Utara"),
    "regions:agency_import": (lambda w: {"code": "73.22"}, only(*MANAGERS), "Kabupaten Luwu Utara"),
    "regions:agency_detail": (
        lambda w: {"pk": w["agency"].pk},
        only(*REGION_READERS, "operator", "head"),
        "Dinas Kesehatan",
    ),
    "regions:agency_update": (lambda w: {"pk": w["agency"].pk}, only(*MANAGERS), "Dinas Kesehatan"),
    "accounts:person_list": (lambda w: {"code": "73.22"}, only(*MANAGERS), "@example.test"),
    "accounts:person_invite": (lambda w: {"code": "73.22"}, only(*MANAGERS), "Dinas Kesehatan"),
    "accounts:person_import": (
        lambda w: {"code": "73.22"},
        only(*MANAGERS),
        "Kabupaten Luwu Utara",
    ),
    "accounts:person_detail": (
        lambda w: {"pk": w["operator"].pk},
        only(*MANAGERS, "operator"),
        "Dinas Kesehatan",
    ),
    "accounts:profile": (lambda w: {}, EVERYONE, None),
    "accounts:api_tokens": (lambda w: {}, EVERYONE, None),
    "accounts:password_change": (lambda w: {}, EVERYONE, None),
    "accounts:two_factor_setup": (lambda w: {}, EVERYONE, None),
    "activity:region_log": (lambda w: {"code": "73.22"}, only(*MANAGERS), "Dinas Kesehatan"),
    "mentoring:assignments": (lambda w: {"code": "73.22"}, only(*MANAGERS), "Dinas Kesehatan"),
    # The registry.
    "innovations:list": (lambda w: {}, EVERYONE | {"nobody": "deny"}, None),
    "innovations:create": (
        lambda w: {},
        only("operator", "other_operator", "neighbour_operator"),
        None,
    ),
    "innovations:detail": (
        lambda w: {"pk": w["innovation"].pk},
        only("admin", "secretariat", "operator", "head", "mentor", "leadership"),
        SECRET,
    ),
    "innovations:update": (lambda w: {"pk": w["innovation"].pk}, only("admin", "operator"), SECRET),
    "innovations:evidence_download": (
        lambda w: {"pk": w["evidence"].pk},
        only("admin", "secretariat", "operator", "head", "mentor", "leadership"),
        None,
    ),
    "innovations:decree_download": (
        lambda w: {"pk": w["innovation"].pk},
        only("admin", "secretariat", "operator", "head", "mentor", "leadership"),
        None,
    ),
    # Competitions.
    "competitions:list": (lambda w: {}, EVERYONE, None),
    "competitions:create": (lambda w: {}, only("secretariat", "neighbour_secretariat"), None),
    "competitions:detail": (
        lambda w: {"pk": w["competition"].pk},
        only(*REGION_READERS, *AGENCY_PEOPLE),
        "KIPP Uji",
    ),
    "competitions:setup": (
        lambda w: {"pk": w["competition"].pk, "step": "basics"},
        only(*MANAGERS),
        "KIPP Uji",
    ),
    "competitions:entries": (lambda w: {"pk": w["competition"].pk}, only(*MANAGERS), "Dinas"),
    "competitions:form_edit": (lambda w: {"pk": w["version"].pk}, only(*MANAGERS), "Ringkasan"),
    "competitions:form_section_add": (lambda w: {"pk": w["version"].pk}, only(*MANAGERS), None),
    "competitions:form_section_edit": (
        lambda w: {"pk": w["version"].pk, "section_pk": w["section"].pk},
        only(*MANAGERS),
        None,
    ),
    "competitions:form_field_add": (
        lambda w: {"section_pk": w["section"].pk},
        only(*MANAGERS),
        None,
    ),
    "competitions:form_field_edit": (
        lambda w: {"section_pk": w["section"].pk, "field_pk": w["question"].pk},
        only(*MANAGERS),
        None,
    ),
    # Proposals: drafts are seen by the agency, its mentor and the organiser only.
    "proposals:list": (
        lambda w: {},
        only(
            "admin",
            "secretariat",
            "mentor",
            *AGENCY_PEOPLE,
            "neighbour_secretariat",
            "neighbour_operator",
        ),
        SECRET,
    ),
    "proposals:create": (
        lambda w: {"competition_pk": w["competition"].pk},
        only("operator", "other_operator"),
        None,
    ),
    "proposals:detail": (lambda w: {"pk": w["proposal"].pk}, only(*PROPOSAL_READERS), SECRET),
    "proposals:edit": (lambda w: {"pk": w["proposal"].pk}, only("admin", "operator"), SECRET),
    "proposals:check": (lambda w: {"pk": w["proposal"].pk}, only(*PROPOSAL_READERS), SECRET),
    "proposals:pdf": (lambda w: {"pk": w["proposal"].pk}, only(*PROPOSAL_READERS), SECRET),
    "proposals:history": (lambda w: {"pk": w["proposal"].pk}, only(*PROPOSAL_READERS), SECRET),
    "proposals:attachment_download": (
        lambda w: {"pk": w["attachment"].pk},
        only(*PROPOSAL_READERS),
        None,
    ),
    "screening:list": (lambda w: {"pk": w["competition"].pk}, only(*MANAGERS), SECRET),
    "screening:overview": (lambda w: {"pk": w["competition"].pk}, only(*MANAGERS), "Dinas"),
    "screening:review": (lambda w: {"pk": w["proposal"].pk}, only(*MANAGERS), SECRET),
}

# Judging and results, on a competition of their own in the world (KIPP Juri, judged and
# published). Kept apart from MATRIX, whose rows other tests build with a smaller world.
JUDGING_MATRIX = {
    # Judging: the secretariat runs the stages; a juror sees what the panel seat gives.
    "judging:stages": (lambda w: {"pk": w["judged"].pk}, only(*MANAGERS), "KIPP Juri"),
    "judging:stage_add": (lambda w: {"pk": w["judged"].pk}, only(*MANAGERS), "KIPP Juri"),
    "judging:stage": (lambda w: {"pk": w["desk"].pk}, only(*MANAGERS), "KIPP Juri"),
    "judging:rubric": (lambda w: {"pk": w["desk"].pk}, only(*MANAGERS), "Significance"),
    "judging:criterion_add": (lambda w: {"pk": w["desk"].pk}, only(*MANAGERS), "KIPP Juri"),
    "judging:criterion_edit": (
        lambda w: {"pk": w["desk"].pk, "criterion_pk": w["criterion"].pk},
        only(*MANAGERS),
        "Background and goals",
    ),
    "judging:panel": (lambda w: {"pk": w["desk"].pk}, only(*MANAGERS), "Juri 0"),
    "judging:assignments": (lambda w: {"pk": w["desk"].pk}, only(*MANAGERS), JUDGED),
    "judging:calibration": (lambda w: {"pk": w["desk"].pk}, only(*MANAGERS), "KIPP Juri"),
    # The stage is closed: its panel sees the ranking; the moderation is the chair's.
    "judging:ranking": (lambda w: {"pk": w["desk"].pk}, only(*MANAGERS, "juror"), JUDGED),
    "judging:moderation": (lambda w: {"pk": w["moderation"].pk}, only(*MANAGERS), JUDGED),
    "judging:schedule": (lambda w: {"pk": w["presentation"].pk}, only(*MANAGERS), JUDGED),
    "judging:slot_move": (lambda w: {"pk": w["slot"].pk}, only(*MANAGERS), JUDGED),
    "judging:room": (lambda w: {"pk": w["desk"].pk}, only(*MANAGERS, "juror"), JUDGED),
    "judging:visits": (lambda w: {"pk": w["desk"].pk}, only(*MANAGERS), JUDGED),
    "judging:visit": (lambda w: {"pk": w["visit"].pk}, only(*MANAGERS, "juror"), JUDGED),
    "judging:visit_photo": (lambda w: {"pk": w["photo"].pk}, only(*MANAGERS, "juror"), None),
    "judging:my_assignments": (lambda w: {}, only("juror"), None),
    "judging:sheet": (lambda w: {"pk": w["assignment"].pk}, only("juror"), JUDGED),
    "judging:attachment": (
        lambda w: {"pk": w["assignment"].pk, "attachment_pk": w["judged_attachment"].pk},
        only("juror"),
        None,
    ),
    # Results: the organiser's page and documents; the results and verification are public;
    # a certificate goes to the organiser and the winning agency (Dinas Kesehatan).
    "results:manage": (lambda w: {"pk": w["judged"].pk}, only(*MANAGERS), JUDGED),
    "results:annex": (lambda w: {"pk": w["judged"].pk}, only(*MANAGERS), None),
    "results:public": (lambda w: {"pk": w["judged"].pk}, PUBLIC, None),
    "results:verify": (lambda w: {"code": w["certificate"].code}, PUBLIC, None),
    "results:certificate": (
        lambda w: {"code": w["certificate"].code},
        only(*MANAGERS, "operator", "head"),
        None,
    ),
    "results:letter": (
        lambda w: {"code": w["certificate"].code},
        only(*MANAGERS, "operator", "head"),
        None,
    ),
    "results:document_template": (
        lambda w: {"code": "73.22", "kind": "certificate"},
        only(*MANAGERS),
        "Kabupaten Luwu Utara",
    ),
}

# Pages for everyone (login, password reset, invitation links, health) or only for POST; they
# are tested in their own modules.
NOT_IN_MATRIX = {
    "core:healthz",
    "core:set_language",
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor_verify",
    "accounts:invitation",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
}

# POST-only endpoints: (kwargs builder, roles that may use them). Everyone else is refused
# (403, 404 or 405) and nothing changes; what the allowed roles get is tested with each view.
POSTS = {
    "catalogue:unpublish": (lambda w: {"pk": w["published"].pk}, MANAGERS),
    "catalogue:request_answer": (lambda w: {"pk": w["replication"].pk}, ("other_operator",)),
    "catalogue:request_message": (
        lambda w: {"pk": w["replication"].pk},
        ("other_operator", "neighbour_operator"),
    ),
    "catalogue:request_complete": (lambda w: {"pk": w["replication"].pk}, ("neighbour_operator",)),
    "insights:remind": (lambda w: {}, (*MANAGERS, "neighbour_secretariat")),
    "accounts:api_token_revoke": (lambda w: {"pk": w["api_token"].pk}, ("operator",)),
    "core:export_create": (lambda w: {}, ()),
    "announcements:publish": (lambda w: {"pk": w["announcement_draft"].pk}, MANAGERS),
    "announcements:unpublish": (lambda w: {"pk": w["announcement"].pk}, MANAGERS),
    "announcements:delete": (lambda w: {"pk": w["announcement"].pk}, MANAGERS),
    "accounts:person_action": (lambda w: {"pk": w["operator"].pk}, MANAGERS),
    "regions:agency_set_active": (lambda w: {"pk": w["agency"].pk}, MANAGERS),
    "innovations:evidence_add": (lambda w: {"pk": w["innovation"].pk}, ("admin", "operator")),
    "innovations:decree_upload": (lambda w: {"pk": w["innovation"].pk}, ("admin", "operator")),
    "innovations:award_add": (lambda w: {"pk": w["innovation"].pk}, MANAGERS),
    "innovations:evidence_remove": (lambda w: {"pk": w["evidence"].pk}, ("admin", "operator")),
    "innovations:evidence_verify": (lambda w: {"pk": w["evidence"].pk}, MANAGERS),
    "competitions:open": (lambda w: {"pk": w["competition"].pk}, MANAGERS),
    "competitions:start_screening": (lambda w: {"pk": w["competition"].pk}, MANAGERS),
    "competitions:remind": (lambda w: {"pk": w["competition"].pk}, MANAGERS),
    "competitions:extend": (lambda w: {"pk": w["competition"].pk}, MANAGERS),
    "competitions:decline": (
        lambda w: {"pk": w["competition"].pk, "agency_pk": w["agency"].pk},
        (*REGION_READERS, *AGENCY_PEOPLE),
    ),
    "competitions:form_item": (
        lambda w: {"kind": "section", "pk": w["section"].pk, "action": "up"},
        MANAGERS,
    ),
    "competitions:form_publish": (lambda w: {"pk": w["version"].pk}, MANAGERS),
    "competitions:form_new_version": (lambda w: {"pk": w["version"].pk}, MANAGERS),
    "proposals:header": (lambda w: {"pk": w["proposal"].pk}, ("admin", "operator")),
    "proposals:answer": (
        lambda w: {"pk": w["proposal"].pk, "field_pk": w["question"].pk},
        ("admin", "operator"),
    ),
    "proposals:section": (
        lambda w: {"pk": w["proposal"].pk, "section_pk": w["section"].pk},
        ("admin", "operator"),
    ),
    "proposals:presence": (
        lambda w: {"pk": w["proposal"].pk, "section_pk": w["section"].pk},
        ("admin", "operator"),
    ),
    "proposals:attachment_add": (
        lambda w: {"pk": w["proposal"].pk, "field_pk": w["file_question"].pk},
        ("admin", "operator"),
    ),
    "proposals:attachment_remove": (lambda w: {"pk": w["attachment"].pk}, ("admin", "operator")),
    "proposals:send": (lambda w: {"pk": w["proposal"].pk}, ("admin", "operator")),
    "proposals:approve": (lambda w: {"pk": w["proposal"].pk}, ("admin", "head")),
    "proposals:return": (lambda w: {"pk": w["proposal"].pk}, ("admin", "head")),
    "proposals:withdraw": (lambda w: {"pk": w["proposal"].pk}, ("admin", "operator", "head")),
    "mentoring:comment_add": (
        lambda w: {"pk": w["proposal"].pk, "section_pk": w["section"].pk},
        ("mentor",),
    ),
    "mentoring:comment_reply": (
        lambda w: {"pk": w["comment"].pk},
        ("admin", "operator", "head", "mentor"),
    ),
    "mentoring:comment_resolve": (
        lambda w: {"pk": w["comment"].pk},
        ("admin", "operator", "head", "mentor"),
    ),
    "screening:refresh_all": (lambda w: {"pk": w["competition"].pk}, MANAGERS),
    "screening:decide_bulk": (lambda w: {"pk": w["competition"].pk}, MANAGERS),
    "screening:objection_submit": (
        lambda w: {"pk": w["proposal"].pk},
        ("admin", "operator", "head"),
    ),
    "screening:objection_decide": (lambda w: {"pk": w["objection"].pk}, MANAGERS),
    "judging:stage_action": (lambda w: {"pk": w["desk"].pk, "action": "reopen"}, MANAGERS),
    "judging:criterion_delete": (
        lambda w: {"pk": w["desk"].pk, "criterion_pk": w["criterion"].pk},
        MANAGERS,
    ),
    "judging:panel_member": (
        lambda w: {"pk": w["desk"].pk, "member_pk": w["seat"].pk},
        MANAGERS,
    ),
    "judging:outcomes": (lambda w: {"pk": w["desk"].pk}, MANAGERS),
    "judging:autosave": (lambda w: {"pk": w["assignment"].pk}, ("juror",)),
    "judging:recuse": (lambda w: {"pk": w["assignment"].pk}, ("juror",)),
    "results:publish": (lambda w: {"pk": w["judged"].pk}, MANAGERS),
    "results:special_remove": (lambda w: {"pk": w["special"].pk}, MANAGERS),
}


OUR_APPS = {
    "core",
    "catalogue",
    "insights",
    "announcements",
    "regions",
    "accounts",
    "activity",
    "innovations",
    "competitions",
    "proposals",
    "mentoring",
    "screening",
    "judging",
    "results",
}


def our_url_names() -> set[str]:
    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace in OUR_APPS:
            names |= {f"{namespace}:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    return names


PAGES = MATRIX | JUDGING_MATRIX


def test_every_page_is_in_the_matrix():
    assert our_url_names() - set(PAGES) - set(POSTS) - NOT_IN_MATRIX == set()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One of everything, all belonging to Dinas Kesehatan of Luwu Utara, built once for the
    module inside a transaction that is rolled back at its end (each test runs in a savepoint)."""
    from django.db import transaction

    from siwanda.accounts.tokens import api_token_create
    from siwanda.innovations.services import evidence_add, innovation_set_decree
    from siwanda.mentoring.models import Comment
    from siwanda.mentoring.services import mentor_assign
    from siwanda.proposals.services import attachment_add
    from siwanda.regions.models import Region
    from siwanda.screening.models import Objection
    from tests.builders import (
        competition_from_template,
        field,
        innovation_for,
        make_people,
        pdf_upload,
        start_proposal,
    )

    with django_db_blocker.unblock(), transaction.atomic():
        region = Region.objects.get(code="73.22")
        people = make_people(region, Region.objects.get(code="73.24"))
        competition = competition_from_template(people["secretariat"], region)
        innovation = innovation_for(people["operator"], people["agency"])
        proposal = start_proposal(competition, people["operator"], innovation)
        mentor_assign(
            actor=people["secretariat"],
            mentor=people["mentor"],
            region=region,
            agency=people["agency"],
        )
        question = field(proposal, "ringkasan")
        file_question = field(proposal, "innovator_decree")
        innovation_set_decree(
            actor=people["operator"], innovation=innovation, upload=pdf_upload(), number="SK 1"
        )
        yield {
            **people,
            "competition": competition,
            "proposal": proposal,
            "innovation": innovation,
            "version": proposal.form_version,
            "section": question.section,
            "question": question,
            "file_question": file_question,
            "evidence": evidence_add(
                actor=people["operator"],
                innovation=innovation,
                kind="report",
                description="Laporan",
                upload=pdf_upload(),
            ),
            "attachment": attachment_add(
                actor=people["operator"],
                proposal=proposal,
                field=file_question,
                upload=pdf_upload(),
            ),
            "comment": Comment.objects.create(
                proposal=proposal,
                section=question.section,
                author=people["mentor"],
                text=f"Catatan {SECRET}",
            ),
            "objection": Objection.objects.create(
                proposal=proposal, text="x", submitted_by=people["operator"]
            ),
            "export": _finished_export(people["secretariat"]),
            **_judged(people, region),
            **_announcements(people, region),
            "api_token": api_token_create(actor=people["operator"], name="Matrix")[0],
            "province": region.parent,
            **_catalogue(people),
        }
        transaction.set_rollback(True)


def _catalogue(people):
    """A published innovation of Dinas Pendidikan, and a neighbour's request to replicate it."""
    from siwanda.catalogue.services import innovation_publish, replication_request
    from tests.builders import innovation_for

    published = innovation_for(
        people["other_operator"], people["other_agency"], title="Rapor Digital Orang Tua"
    )
    innovation_publish(actor=people["secretariat"], innovation=published)
    replication = replication_request(
        actor=people["neighbour_operator"],
        source=published,
        agency=people["neighbour_agency"],
        message=REPLICATION,
    )
    return {"published": published, "replication": replication}


def _announcements(people, region):
    """A published guide of Luwu Utara with its PDF, and a draft with its PDF."""
    from siwanda.announcements.services import announcement_create
    from tests.builders import pdf_upload

    def post(title, body, publish):
        return announcement_create(
            actor=people["secretariat"],
            region=region,
            kind="guide",
            title=title,
            body=body,
            attachment=pdf_upload(),
            publish=publish,
        )

    return {
        "announcement": post("Panduan terbit", "Terbit.", True),
        "announcement_draft": post("Panduan draf", DRAFT, False),
    }


def _judged(people, region):
    """KIPP Juri: judged through both stages of the regency template and published. The matrix's
    juror sits on the desk evaluation's panel (not in the chair) with proposals assigned, a
    proposal file to read and a field visit to make; the Kategori Partisipatif certificate goes
    to Dinas Kesehatan."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from siwanda.accounts.models import Role
    from siwanda.competitions.models import FieldType, FormField
    from siwanda.core.demo.competitions import PDF
    from siwanda.judging.models import Slot, Visit, VisitPhoto
    from siwanda.proposals.models import Attachment
    from siwanda.results.services import results_publish
    from tests.builders import competition_from_template
    from tests.factories import AgencyFactory, person_with_role
    from tests.judging.conftest import judge_through, regency_stages, screen

    secretariat, juror = people["secretariat"], people["juror"]
    competition = competition_from_template(secretariat, region, name="KIPP Juri")
    agencies = [people["agency"], people["other_agency"]] + [
        AgencyFactory(region=region, name=f"Kecamatan {n}") for n in range(4)
    ]
    proposals = screen(competition, agencies)
    jurors = [person_with_role(Role.JUROR, region=region, full_name=f"Juri {n}") for n in range(5)]
    jurors[3] = juror
    desk, presentation = judge_through(
        secretariat, regency_stages(secretariat, competition), jurors, proposals
    )
    publication = results_publish(actor=secretariat, competition=competition)
    assignment = desk.assignments.filter(juror=juror, calibration=False).first()
    visit = Visit.objects.create(
        stage=desk, proposal=assignment.proposal, planned_on=timezone.now()
    )
    visit.members.set([juror])
    start = timezone.now() + datetime.timedelta(days=30)
    return {
        "judged": competition,
        "desk": desk,
        "presentation": presentation,
        "criterion": desk.rubric.criteria.first(),
        "seat": desk.panel.get(juror=juror),
        "assignment": assignment,
        "moderation": desk.moderations.get(),
        "slot": Slot.objects.create(
            stage=presentation,
            proposal=proposals[3],
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=30),
            room="Aula",
        ),
        "visit": visit,
        "photo": VisitPhoto.objects.create(
            visit=visit, file=SimpleUploadedFile("foto.png", b"png"), uploaded_by=juror
        ),
        "judged_attachment": Attachment.objects.create(
            proposal=assignment.proposal,
            field=FormField.objects.filter(
                section__version=assignment.proposal.form_version, type=FieldType.FILE
            ).first(),
            file=SimpleUploadedFile("sk.pdf", PDF),
            original_name="SK.pdf",
            kind="pdf",
            size=len(PDF),
            sha256="-",
        ),
        "special": competition.special_awards.get(),
        "certificate": publication.certificates.get(kind="special"),
    }


def _finished_export(owner):
    from django.core.files.base import ContentFile

    from siwanda.core.models import Export

    export = Export.objects.create(
        owner=owner,
        kind="judging.final",
        title="Hasil akhir",
        status=Export.Status.DONE,
        filename="hasil.xlsx",
    )
    export.file.save("hasil.xlsx", ContentFile(b"x"))
    return export


CASES = [(name, role) for name in PAGES for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_page_access(db, client, world, name, role):
    kwargs, expected, secret = PAGES[name]
    url = reverse(name, kwargs=kwargs(world))
    if role != "anonymous":
        login(client, world[role])
    response = client.get(url)
    outcome = expected[role]
    if outcome == "ok":
        assert response.status_code == 200
    elif outcome == "redirect":
        assert response.status_code == 302
        assert not response["Location"].startswith(reverse("accounts:login"))
    elif outcome == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code in (403, 404)
        if secret:
            assert secret not in response.content.decode()


POST_CASES = [
    (name, role) for name, (_k, allowed) in POSTS.items() for role in ROLES if role not in allowed
]


@pytest.mark.parametrize(("name", "role"), POST_CASES, ids=[f"{n}-{r}" for n, r in POST_CASES])
def test_refused_posts(db, client, world, name, role):
    from siwanda.activity.models import ActivityEntry

    kwargs, _allowed = POSTS[name]
    url = reverse(name, kwargs=kwargs(world))
    if role != "anonymous":
        login(client, world[role])
    before = ActivityEntry.objects.count()
    response = client.post(
        url,
        {
            "reason": "x",
            "text": "x",
            "comment": "x",
            "value": "x",
            "action": "deactivate",
            "decision": "pass",
            "note": "x",
            "status": "verified",
            "active": "0",
        },
    )
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code in (403, 404, 405), response.status_code
    assert ActivityEntry.objects.count() == before
