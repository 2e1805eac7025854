"""The notices page: a person's own notices, newest first; opening it marks them read and the
count in the menu bar goes away."""

import datetime

from django.urls import reverse
from django.utils import timezone

from siwanda.core.models import Notice
from tests.helpers import assert_constant_queries, login

BADGE = '<span class="badge text-bg-warning">{n}<span class="visually-hidden"> unread</span>'


def notice(user, text, hours_ago, url=""):
    item = Notice.objects.create(user=user, text=text, url=url)
    Notice.objects.filter(pk=item.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=hours_ago)
    )
    return item


def test_the_notices_are_listed_newest_first_and_then_marked_read(client, people):
    operator = people["operator"]
    notice(operator, "KIPP Uji is open.", hours_ago=30)
    notice(operator, "“Dapur Sehat” was returned for changes.", hours_ago=2, url="/usulan/1/")
    notice(people["other_operator"], "Pesan untuk Dinas Pendidikan", hours_ago=1)
    login(client, operator)
    home = client.get(reverse("core:home")).content.decode()
    assert BADGE.format(n=2) in home

    page = client.get(reverse("core:notices")).content.decode()
    returned = page.index('<a href="/usulan/1/">“Dapur Sehat” was returned for changes.</a>')
    opened = page.index("KIPP Uji is open.")
    assert returned < opened
    assert "Pesan untuk Dinas Pendidikan" not in page
    # Shown as new this once…
    assert page.count('<li class="list-group-item list-group-item-warning">') == 2
    assert page.count("<strong>new</strong>") == 2
    assert not Notice.objects.filter(user=operator, read_at=None).exists()
    assert Notice.objects.filter(user=people["other_operator"], read_at=None).count() == 1

    # …and read afterwards: no count in the menu bar any more.
    again = client.get(reverse("core:notices")).content.decode()
    assert "<strong>new</strong>" not in again
    assert 'visually-hidden"> unread' not in again
    assert 'visually-hidden"> unread' not in client.get(reverse("core:home")).content.decode()


def test_a_new_notice_after_reading_counts_again(client, people):
    operator = people["operator"]
    notice(operator, "Lama", hours_ago=5)
    login(client, operator)
    client.get(reverse("core:notices"))
    notice(operator, "Baru", hours_ago=0)
    assert BADGE.format(n=1) in client.get(reverse("core:home")).content.decode()
    page = client.get(reverse("core:notices")).content.decode()
    assert page.count("<strong>new</strong>") == 1
    assert page.index("Baru") < page.index("Lama")
    assert 'visually-hidden"> unread' not in page


def test_someone_without_notices_is_told_where_they_come_from(client, people):
    login(client, people["juror"])
    page = client.get(reverse("core:notices")).content.decode()
    assert (
        "No notices yet. Invitations to competitions, approvals, comments and screening results "
        "appear here and by email."
    ) in page


def test_the_page_shows_the_latest_hundred(client, people):
    operator = people["operator"]
    Notice.objects.bulk_create(Notice(user=operator, text=f"Pesan {n}") for n in range(105))
    login(client, operator)
    page = client.get(reverse("core:notices")).content.decode()
    assert page.count('<li class="list-group-item') == 100
    # Even those not shown are marked read.
    assert not Notice.objects.filter(user=operator, read_at=None).exists()


def test_the_page_costs_the_same_queries_for_more_notices(client, people):
    operator = people["operator"]
    notice(operator, "Satu", hours_ago=1)
    login(client, operator)

    def add_rows():
        Notice.objects.bulk_create(Notice(user=operator, text=f"Pesan {n}") for n in range(20))

    assert_constant_queries(client, reverse("core:notices"), add_rows)
