import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from siwanda.core.models import Notice
from siwanda.mentoring import services
from siwanda.mentoring.models import Comment
from siwanda.mentoring.selectors import comments_for
from tests.builders import field


@pytest.fixture
def mentored(people, proposal, luwu_utara):
    services.mentor_assign(
        actor=people["secretariat"],
        mentor=people["mentor"],
        region=luwu_utara,
        agency=people["agency"],
    )
    return proposal


def test_only_a_mentor_of_the_region_is_assigned(people, proposal, luwu_utara):
    with pytest.raises(ValidationError):
        services.mentor_assign(
            actor=people["secretariat"],
            mentor=people["juror"],
            region=luwu_utara,
            agency=people["agency"],
        )
    with pytest.raises(PermissionDenied):
        services.mentor_assign(
            actor=people["operator"],
            mentor=people["mentor"],
            region=luwu_utara,
            agency=people["agency"],
        )
    assignment = services.mentor_assign(
        actor=people["secretariat"], mentor=people["mentor"], region=luwu_utara, proposal=proposal
    )
    assert assignment.proposal == proposal


def test_a_thread_comment_reply_resolve(people, mentored):
    section = field(mentored, "ringkasan").section
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=people["juror"], proposal=mentored, section=section, text="x")
    comment = services.comment_add(
        actor=people["mentor"],
        proposal=mentored,
        section=section,
        text="Tambahkan data sebelum dan sesudah.",
    )
    assert Notice.objects.filter(
        user=people["operator"], text__contains="mentor commented"
    ).exists()
    services.comment_reply(actor=people["operator"], comment=comment, text="Sudah ditambahkan.")
    assert Notice.objects.filter(user=people["mentor"], text__contains="reply").exists()
    services.comment_resolve(actor=people["operator"], comment=comment)
    comment.refresh_from_db()
    assert comment.resolved_by == people["operator"] and comment.replies.count() == 1


def test_comments_are_read_by_the_authors_and_never_by_a_juror(people, mentored):
    section = field(mentored, "ringkasan").section
    services.comment_add(actor=people["mentor"], proposal=mentored, section=section, text="Rahasia")
    for role in ("operator", "head", "mentor", "secretariat"):
        assert [c.text for c in comments_for(user=people[role], proposal=mentored)] == ["Rahasia"]
    for role in ("juror", "leadership", "other_operator", "neighbour_secretariat"):
        assert list(comments_for(user=people[role], proposal=mentored)) == []
    assert Comment.objects.count() == 1
