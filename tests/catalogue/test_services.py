"""Publishing to the catalogue and replication requests: who may, what is refused and why, the
audit entries and the notices, and the replica linked to its source."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from siwanda.accounts.models import Role, RoleAssignment
from siwanda.accounts.roles import forget_roles
from siwanda.activity.models import ActivityEntry
from siwanda.catalogue import services
from siwanda.catalogue.models import CatalogueEntry, ReplicationRequest
from siwanda.core.models import Notice
from siwanda.innovations.models import EvidenceDocument, Innovation
from tests.catalogue.builders import publish, register, verified_document
from tests.factories import person_with_role

TITLE = "Dapur Sehat Atasi Stunting"


def messages_of(error: ValidationError) -> list[str]:
    return error.messages


def notices() -> dict[str, list[tuple[str, str]]]:
    """{email: [(text, url)]} of every notice sent."""
    found: dict[str, list[tuple[str, str]]] = {}
    for notice in Notice.objects.select_related("user").order_by("id"):
        found.setdefault(notice.user.email, []).append((notice.text, notice.url))
    return found


def actions() -> list[str]:
    return list(ActivityEntry.objects.order_by("id").values_list("action", flat=True))


# --- Publishing -------------------------------------------------------------------------------


def test_the_secretariat_publishes_and_the_owner_agency_is_told(
    people, innovation, django_capture_on_commit_callbacks, mailoutbox
):
    shown = verified_document(innovation, "SK Bupati tentang Dapur Sehat")
    kept = verified_document(innovation, "Laporan keuangan")
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.innovation_publish(
            actor=people["secretariat"], innovation=innovation, public_evidence_ids=[shown.pk]
        )
    assert entry == CatalogueEntry.objects.get(innovation=innovation)
    assert entry.published_by == people["secretariat"]
    assert list(EvidenceDocument.objects.filter(is_public=True)) == [shown]
    kept.refresh_from_db()
    assert not kept.is_public
    record = ActivityEntry.objects.get(action="innovation.published")
    assert (record.actor, record.target_id, record.region) == (
        people["secretariat"],
        str(innovation.pk),
        innovation.region,
    )
    assert record.data == {"public_evidence": [shown.pk]}
    url = f"/katalog/{innovation.pk}/"
    told = [(f'"{TITLE}" is now in the public innovation catalogue.', url)]
    assert notices() == {people["operator"].email: told, people["head"].email: told}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [people["operator"].email, people["head"].email]
    )


def test_publishing_again_updates_what_is_public_without_a_second_notice(
    people, innovation, django_capture_on_commit_callbacks
):
    first = verified_document(innovation, "SK Bupati")
    second = verified_document(innovation, "Laporan evaluasi")
    with django_capture_on_commit_callbacks(execute=True):
        publish(innovation, evidence=[first])
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        publish(innovation, evidence=[second])
    assert list(EvidenceDocument.objects.filter(is_public=True)) == [second]
    assert actions()[-2:] == ["innovation.published", "innovation.publication_updated"]
    assert not Notice.objects.exists()
    assert CatalogueEntry.objects.count() == 1


def test_a_system_administrator_may_publish(people, innovation):
    services.innovation_publish(actor=people["admin"], innovation=innovation)
    assert CatalogueEntry.objects.filter(innovation=innovation).exists()


@pytest.mark.parametrize(
    "role",
    [
        "operator",
        "other_operator",
        "head",
        "mentor",
        "juror",
        "leadership",
        "neighbour_secretariat",
        "neighbour_operator",
        "nobody",
    ],
)
def test_only_the_regions_secretariat_publishes(people, innovation, role):
    with pytest.raises(PermissionDenied):
        services.innovation_publish(actor=people[role], innovation=innovation)
    assert not CatalogueEntry.objects.exists()
    publish(innovation)
    with pytest.raises(PermissionDenied):
        services.innovation_unpublish(actor=people[role], innovation=innovation, reason="x")
    assert CatalogueEntry.objects.filter(innovation=innovation).exists()


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_an_unverified_document_cannot_be_public(people, innovation, status):
    document = verified_document(innovation, "Foto kegiatan", status=status, note="Buram.")
    with pytest.raises(ValidationError) as error:
        publish(innovation, evidence=[document])
    assert error.value.message_dict == {
        "public_evidence": ["Only verified documents of this innovation can be public."]
    }
    document.refresh_from_db()
    assert not document.is_public
    assert not CatalogueEntry.objects.exists()
    assert "innovation.published" not in actions()


def test_a_document_of_another_innovation_cannot_be_public(people, innovation, agencies):
    other = register(agencies["disdik"], "Sekolah Ramah Anak")
    document = verified_document(other, "SK Sekolah")
    with pytest.raises(ValidationError) as error:
        publish(innovation, evidence=[document])
    assert messages_of(error.value) == ["Only verified documents of this innovation can be public."]
    assert not CatalogueEntry.objects.exists()


def test_unpublishing_needs_a_reason_and_is_recorded(people, innovation):
    publish(innovation)
    with pytest.raises(ValidationError) as error:
        services.innovation_unpublish(
            actor=people["secretariat"], innovation=innovation, reason=" "
        )
    assert error.value.message_dict == {"reason": ["Say why the innovation leaves the catalogue."]}
    assert CatalogueEntry.objects.exists()
    services.innovation_unpublish(
        actor=people["secretariat"], innovation=innovation, reason="  Data belum lengkap. "
    )
    assert not CatalogueEntry.objects.exists()
    record = ActivityEntry.objects.get(action="innovation.unpublished")
    assert (record.actor, record.data) == (people["secretariat"], {"reason": "Data belum lengkap."})


def test_an_innovation_not_published_cannot_be_unpublished(people, innovation):
    with pytest.raises(ValidationError) as error:
        services.innovation_unpublish(
            actor=people["secretariat"], innovation=innovation, reason="x"
        )
    assert messages_of(error.value) == ["This innovation is not in the public catalogue."]
    assert "innovation.unpublished" not in actions()


# --- Asking to replicate ----------------------------------------------------------------------


@pytest.fixture
def source(innovation):
    """The published innovation of Dinas Kesehatan, Luwu Utara."""
    publish(innovation)
    return innovation


def ask(people, source, message="Kami ingin belajar dapur sehat."):
    return services.replication_request(
        actor=people["neighbour_operator"],
        source=source,
        agency=people["neighbour_agency"],
        message=message,
    )


def test_an_operator_of_another_regency_asks_and_the_owner_is_told(
    people, source, django_capture_on_commit_callbacks
):
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(people, source, message="  Kami ingin belajar dapur sehat. ")
    assert (request.source, request.agency, request.requested_by) == (
        source,
        people["neighbour_agency"],
        people["neighbour_operator"],
    )
    assert (request.status, request.message) == ("requested", "Kami ingin belajar dapur sehat.")
    assert [(m.author, m.status, m.text) for m in request.thread.all()] == [
        (people["neighbour_operator"], "requested", "Kami ingin belajar dapur sehat.")
    ]
    record = ActivityEntry.objects.get(action="replication.requested")
    assert (record.target_id, record.region) == (str(source.pk), source.region)
    assert record.data == {
        "request": request.pk,
        "agency": "Dinas Kesehatan",
        "text": "Kami ingin belajar dapur sehat.",
    }
    told = [(f'Dinas Kesehatan asks to replicate "{TITLE}".', f"/replikasi/{request.pk}/")]
    assert notices() == {people["operator"].email: told, people["head"].email: told}


@pytest.mark.parametrize(
    "role", ["operator", "head", "secretariat", "neighbour_secretariat", "mentor", "nobody"]
)
def test_people_who_operate_no_other_agency_cannot_ask(people, source, role):
    with pytest.raises(PermissionDenied):
        services.replication_request(
            actor=people[role], source=source, agency=people["neighbour_agency"], message="x"
        )
    assert not ReplicationRequest.objects.exists()


def test_an_agency_cannot_replicate_its_own_innovation(people, source):
    operator = people["operator"]  # also an operator of Dinas Pendidikan
    RoleAssignment.objects.create(
        user=operator, role=Role.OPERATOR, agency=people["other_agency"], region=source.region
    )
    forget_roles(operator)
    with pytest.raises(ValidationError) as error:
        services.replication_request(
            actor=operator, source=source, agency=people["agency"], message="x"
        )
    assert error.value.message_dict == {
        "agency": ["An agency cannot replicate its own innovation."]
    }
    assert not ReplicationRequest.objects.exists()


def test_one_asks_only_for_an_agency_one_operates(people, source):
    with pytest.raises(ValidationError) as error:
        services.replication_request(
            actor=people["neighbour_operator"],
            source=source,
            agency=people["other_agency"],
            message="x",
        )
    assert error.value.message_dict == {"agency": ["Choose an agency you are an operator of."]}


def test_an_unpublished_innovation_cannot_be_asked_for(people, innovation):
    with pytest.raises(ValidationError) as error:
        ask(people, innovation)
    assert messages_of(error.value) == [
        "Only innovations in the public catalogue can be replicated."
    ]


def test_asking_needs_a_message(people, source):
    with pytest.raises(ValidationError) as error:
        ask(people, source, message="  \n ")
    assert error.value.message_dict == {
        "message": ["Say what you would like to replicate and why."]
    }


def test_a_second_open_request_is_refused_until_the_first_is_closed(people, source):
    first = ask(people, source)
    for status in ("requested", "discussing", "agreed"):
        ReplicationRequest.objects.filter(pk=first.pk).update(status=status)
        with pytest.raises(ValidationError) as error:
            ask(people, source)
        assert messages_of(error.value) == [
            "Your agency already has an open request for this innovation."
        ]
    ReplicationRequest.objects.filter(pk=first.pk).update(status="declined")
    second = ask(people, source)
    assert second.status == "requested"
    assert ReplicationRequest.objects.count() == 2


# --- The owner's answer -----------------------------------------------------------------------


@pytest.fixture
def asked(people, source):
    return ask(people, source)


def answer(people, request, status, text="", role="operator"):
    return services.replication_answer(
        actor=people[role], request=request, status=status, text=text
    )


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (["discussing"], ""),
        (["agreed"], ""),
        (["declined"], "Belum bisa."),
        (["discussing", "agreed"], ""),
        (["discussing", "declined"], "Belum bisa."),
        (["agreed", "declined"], "Belum bisa."),
    ],
)
def test_the_owner_moves_a_request(people, asked, path, text):
    for status in path:
        answer(people, asked, status, text)
    asked.refresh_from_db()
    assert asked.status == path[-1]
    assert [m.status for m in asked.thread.all()] == ["requested", *path]


@pytest.mark.parametrize(
    ("before", "status", "message"),
    [
        ("requested", "replicated", "A request that is Requested cannot become Replicated."),
        ("requested", "requested", "A request that is Requested cannot become Requested."),
        (
            "discussing",
            "discussing",
            "A request that is In discussion cannot become In discussion.",
        ),
        ("agreed", "discussing", "A request that is Agreed cannot become In discussion."),
        ("agreed", "agreed", "A request that is Agreed cannot become Agreed."),
        ("declined", "agreed", "A request that is Declined cannot become Agreed."),
        ("replicated", "declined", "A request that is Replicated cannot become Declined."),
        ("requested", "bogus", "Unknown answer."),
    ],
)
def test_moves_the_owner_cannot_make(people, asked, before, status, message):
    ReplicationRequest.objects.filter(pk=asked.pk).update(status=before)
    asked.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        answer(people, asked, status, "Alasan.")
    assert messages_of(error.value) == [message]
    asked.refresh_from_db()
    assert asked.status == before
    assert asked.thread.count() == 1


def test_declining_needs_a_reason(people, asked):
    with pytest.raises(ValidationError) as error:
        answer(people, asked, "declined", "  ")
    assert error.value.message_dict == {"text": ["Say why the request is declined."]}
    asked.refresh_from_db()
    assert asked.status == "requested"


def test_the_owners_head_may_answer(people, asked):
    answer(people, asked, "agreed", role="head")
    asked.refresh_from_db()
    assert asked.status == "agreed"


@pytest.mark.parametrize(
    "role",
    [
        "neighbour_operator",  # the requester cannot agree to its own request
        "secretariat",
        "neighbour_secretariat",
        "leadership",
        "other_operator",
        "mentor",
        "nobody",
    ],
)
def test_only_the_owners_operator_or_head_answers(people, asked, role):
    with pytest.raises(PermissionDenied):
        answer(people, asked, "agreed", role=role)
    asked.refresh_from_db()
    assert asked.status == "requested"


@pytest.mark.parametrize(
    ("status", "text", "told"),
    [
        ("discussing", "", f'The owner of "{TITLE}" would like to discuss it.'),
        ("agreed", "Silakan.", f'The owner of "{TITLE}" agreed to your replication.'),
        ("declined", "Belum bisa.", f'The owner of "{TITLE}" declined your request.'),
    ],
)
def test_the_requester_is_told_the_answer(
    people, asked, status, text, told, django_capture_on_commit_callbacks
):
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        answer(people, asked, status, f"  {text} ")
    assert notices() == {people["neighbour_operator"].email: [(told, f"/replikasi/{asked.pk}/")]}
    last = asked.thread.last()
    assert (last.author, last.status, last.text) == (people["operator"], status, text)
    record = ActivityEntry.objects.filter(action=f"replication.{status}").get()
    assert record.actor == people["operator"]


# --- Messages ---------------------------------------------------------------------------------


def test_both_sides_write_and_the_other_side_is_told(
    people, asked, django_capture_on_commit_callbacks
):
    Notice.objects.all().delete()
    url = f"/replikasi/{asked.pk}/"
    told = (f'New message about the replication of "{TITLE}".', url)
    with django_capture_on_commit_callbacks(execute=True):
        services.replication_message(
            actor=people["operator"], request=asked, text=" Kapan bisa datang? "
        )
    assert notices() == {people["neighbour_operator"].email: [told]}
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.replication_message(
            actor=people["neighbour_operator"], request=asked, text="Minggu depan."
        )
    assert notices() == {people["operator"].email: [told], people["head"].email: [told]}
    assert [(m.author, m.status, m.text) for m in asked.thread.all()][1:] == [
        (people["operator"], "", "Kapan bisa datang?"),
        (people["neighbour_operator"], "", "Minggu depan."),
    ]
    assert actions().count("replication.message") == 2


@pytest.mark.parametrize(
    "role", ["secretariat", "neighbour_secretariat", "leadership", "other_operator", "nobody"]
)
def test_people_outside_the_request_cannot_write(people, asked, role):
    with pytest.raises(PermissionDenied):
        services.replication_message(actor=people[role], request=asked, text="Halo")
    assert asked.thread.count() == 1


def test_a_message_needs_text_and_an_open_request(people, asked):
    with pytest.raises(ValidationError) as error:
        services.replication_message(actor=people["operator"], request=asked, text=" ")
    assert error.value.message_dict == {"text": ["Write a message."]}
    answer(people, asked, "declined", "Belum bisa.")
    asked.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.replication_message(actor=people["neighbour_operator"], request=asked, text="Hm")
    assert messages_of(error.value) == ["This request is closed."]


# --- The replica ------------------------------------------------------------------------------


@pytest.fixture
def agreed(people, asked):
    answer(people, asked, "agreed", "Silakan.")
    asked.refresh_from_db()
    return asked


def test_the_requester_starts_a_new_replica_linked_to_its_source(
    people, source, agreed, django_capture_on_commit_callbacks
):
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        request = services.replication_complete(actor=people["neighbour_operator"], request=agreed)
    replica = Innovation.objects.exclude(pk=source.pk).get()
    assert (request.status, request.replica) == ("replicated", replica)
    assert (replica.source_innovation, replica.agency, replica.region) == (
        source,
        people["neighbour_agency"],
        people["neighbour_agency"].region,
    )
    assert (replica.title, replica.form, replica.urusan, replica.goals) == (
        source.title,
        source.form,
        source.urusan,
        source.goals,
    )
    assert (replica.stage, replica.initiator, replica.created_by) == (
        "initiative",
        "agency",
        people["neighbour_operator"],
    )
    assert list(replica.sdgs.values_list("number", flat=True)) == [2, 3]
    assert CatalogueEntry.objects.get(innovation=source).replication_count == 1
    assert not CatalogueEntry.objects.filter(innovation=replica).exists()  # not published
    told = (f'Dinas Kesehatan has replicated "{TITLE}".', f"/replikasi/{request.pk}/")
    assert notices() == {people["operator"].email: [told], people["head"].email: [told]}
    last = request.thread.last()
    assert (last.status, last.text) == ("replicated", source.title)


def test_the_replica_may_be_an_innovation_the_requester_has(people, source, agreed):
    own = register(people["neighbour_agency"], "Dapur Gizi Luwu Timur")
    services.replication_complete(actor=people["neighbour_operator"], request=agreed, replica=own)
    own.refresh_from_db()
    agreed.refresh_from_db()
    assert own.source_innovation == source
    assert (agreed.status, agreed.replica) == ("replicated", own)
    assert Innovation.objects.count() == 2
    assert CatalogueEntry.objects.get(innovation=source).replication_count == 1


def test_the_replica_must_be_of_the_requesting_agency(people, source, agreed, agencies):
    foreign = register(agencies["dlh_gorontalo"], "Kompos Gorontalo")
    with pytest.raises(ValidationError) as error:
        services.replication_complete(
            actor=people["neighbour_operator"], request=agreed, replica=foreign
        )
    assert error.value.message_dict == {"replica": ["Choose an innovation of your own agency."]}
    foreign.refresh_from_db()
    agreed.refresh_from_db()
    assert (foreign.source_innovation, agreed.status) == (None, "agreed")


def test_a_replica_of_another_innovation_cannot_be_the_replica(people, source, agreed, agencies):
    elsewhere = register(agencies["dinkes"], "Posyandu")
    own = register(people["neighbour_agency"], "Posyandu Timur", source_innovation=elsewhere)
    with pytest.raises(ValidationError) as error:
        services.replication_complete(
            actor=people["neighbour_operator"], request=agreed, replica=own
        )
    assert error.value.message_dict == {
        "replica": ["That innovation is already a replica of another innovation."]
    }


@pytest.mark.parametrize("status", ["requested", "discussing", "declined", "replicated"])
def test_only_an_agreed_request_is_marked_replicated(people, asked, status):
    ReplicationRequest.objects.filter(pk=asked.pk).update(status=status)
    asked.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.replication_complete(actor=people["neighbour_operator"], request=asked)
    assert messages_of(error.value) == ["Only an agreed request can be marked as replicated."]
    assert Innovation.objects.count() == 1


@pytest.mark.parametrize("role", ["operator", "head", "secretariat", "neighbour_secretariat"])
def test_only_the_requesting_agencys_operator_marks_it_replicated(people, agreed, role):
    with pytest.raises(PermissionDenied):
        services.replication_complete(actor=people[role], request=agreed)
    agreed.refresh_from_db()
    assert agreed.status == "agreed"


def test_the_requesting_agencys_head_cannot_mark_it_replicated(people, agreed):
    head = person_with_role(Role.AGENCY_HEAD, agency=people["neighbour_agency"])
    with pytest.raises(PermissionDenied):
        services.replication_complete(actor=head, request=agreed)


def test_a_replication_count_counts_every_replica(people, source, agencies):
    """Two agencies of two regencies replicate the same innovation."""
    gorontalo_operator = person_with_role(Role.OPERATOR, agency=agencies["dlh_gorontalo"])
    for operator, agency in (
        (people["neighbour_operator"], people["neighbour_agency"]),
        (gorontalo_operator, agencies["dlh_gorontalo"]),
    ):
        request = services.replication_request(
            actor=operator, source=source, agency=agency, message="Boleh?"
        )
        answer(people, request, "agreed")
        request.refresh_from_db()
        services.replication_complete(actor=operator, request=request)
    assert CatalogueEntry.objects.get(innovation=source).replication_count == 2
