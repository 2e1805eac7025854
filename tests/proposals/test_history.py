import datetime

from django.utils import timezone

from siwanda.proposals import services
from siwanda.proposals.history import compare, state_at, word_diff
from siwanda.proposals.models import Revision
from tests.builders import field


def test_word_diff_marks_what_changed_and_escapes_the_rest():
    html = word_diff("Layanan <b>cepat</b> dan murah", "Layanan sangat cepat dan murah")
    assert (
        str(html) == "Layanan <del>&lt;b&gt;cepat&lt;/b&gt;</del><ins>sangat cepat</ins> dan murah"
    )
    assert str(word_diff(None, [3, 4])) == "<ins>3, 4</ins>"


def test_state_at_and_compare(people, proposal):
    question = field(proposal, "ringkasan")
    first = services.answer_save(
        actor=people["operator"],
        proposal=proposal,
        field=question,
        value="Satu dua",
        base_version=0,
    )
    old = Revision.objects.filter(proposal=proposal, field=question).get()
    Revision.objects.filter(pk=old.pk).update(saved_at=timezone.now() - datetime.timedelta(hours=1))
    old.refresh_from_db()
    services.answer_save(
        actor=people["operator"],
        proposal=proposal,
        field=question,
        value="Satu tiga",
        base_version=first.version,
    )
    new = Revision.objects.filter(proposal=proposal, field=question).order_by("-saved_at").first()
    assert state_at(proposal, old)[question.pk] == "Satu dua"
    changes = compare(proposal, old, new, [question])
    assert [str(c["diff"]) for c in changes] == ["Satu <del>dua</del><ins>tiga</ins>"]
