import re
from datetime import timedelta

from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from siwanda.accounts.models import Invitation, Role, User
from siwanda.activity.models import ActivityEntry
from tests.factories import PASSWORD, AgencyFactory, person_with_role
from tests.helpers import assert_constant_queries, login
from tests.spreadsheets import xlsx_upload

LOGIN = "/masuk/"


def test_login_with_email_lands_on_home(client, people):
    response = client.post(
        LOGIN, {"username": people["operator"].email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Dinas Kesehatan" in client.get("/").content.decode()


def test_wrong_password_keeps_the_email_and_says_why(client, people):
    response = client.post(LOGIN, {"username": people["operator"].email, "password": "salah"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{people["operator"].email}"' in page
    assert "not correct" in page


def test_five_failures_lock_the_account_for_a_while(client, people, settings):
    email = people["operator"].email
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(LOGIN, {"username": email, "password": "salah"}).status_code == 200
    response = client.post(LOGIN, {"username": email, "password": "salah"})
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()
    assert f'value="{email}"' in response.content.decode()
    # Even the right password is refused while locked; another account is not affected.
    assert client.post(LOGIN, {"username": email, "password": PASSWORD}).status_code == 429
    assert (
        client.post(LOGIN, {"username": people["head"].email, "password": PASSWORD}).status_code
        == 302
    )


def test_the_secretariat_unlocks_a_locked_account(client, people, settings):
    email = people["operator"].email
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": email, "password": "salah"})
    admin = login(client.__class__(), people["secretariat"])
    admin.post(
        reverse("accounts:person_action", args=[people["operator"].pk]), {"action": "unlock"}
    )
    assert not AccessAttempt.objects.filter(username=email).exists()
    assert client.post(LOGIN, {"username": email, "password": PASSWORD}).status_code == 302


def test_a_deactivated_account_cannot_log_in(client, people):
    people["operator"].is_active = False
    people["operator"].save()
    response = client.post(LOGIN, {"username": people["operator"].email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, people):
    login(client, people["operator"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def invite_by_view(client, people, **data):
    login(client, people["secretariat"])
    form = {
        "email": "baru@luwuutarakab.go.id",
        "full_name": "Orang Baru",
        "position": "",
        "nip": "",
        "phone": "",
        "role": Role.OPERATOR,
        "agency": people["agency"].pk,
        "language": "id",
        **data,
    }
    return client.post(reverse("accounts:person_invite", args=["73.22"]), form)


def emailed_link(message) -> str:
    return re.search(r"https?://\S+/undangan/\S+/", message.body).group(0)


def test_invite_then_accept_then_log_in(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite_by_view(client, people)
    user = User.objects.get(email="baru@luwuutarakab.go.id")
    assert response["Location"] == reverse("accounts:person_detail", args=[user.pk])
    path = emailed_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    visitor = client.__class__()
    assert visitor.get("/" + path).status_code == 200
    response = visitor.post(
        "/" + path,
        {
            "full_name": "Orang Baru",
            "position": "Staf",
            "phone": "",
            "password1": "Inovasi-Daerah-2026",
            "password2": "Inovasi-Daerah-2026",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Dinas Kesehatan" in visitor.get("/").content.decode()
    # The link is used up.
    response = client.__class__().get("/" + path)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_a_bad_invitation_form_keeps_what_was_typed(client, people):
    invite_by_view(client, people)
    user = User.objects.get(email="baru@luwuutarakab.go.id")
    invitation = user.invitations.get()
    from siwanda.accounts import services

    token = "x"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=services.token_hash(token))
    response = client.__class__().post(
        reverse("accounts:invitation", args=[token]),
        {
            "full_name": "Nama Saya",
            "position": "Kasubag",
            "phone": "",
            "password1": "Inovasi-Daerah-2026",
            "password2": "berbeda-sekali-2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Nama Saya"' in page and 'value="Kasubag"' in page
    assert "not the same" in page


def test_an_expired_invitation_link_says_to_ask_for_a_new_one(client, people):
    invite_by_view(client, people)
    from siwanda.accounts import services

    Invitation.objects.update(
        token_hash=services.token_hash("t"), expires_at=timezone.now() - timedelta(days=1)
    )
    response = client.__class__().get(reverse("accounts:invitation", args=["t"]))
    assert response.status_code == 410
    assert "Ask the secretariat" in response.content.decode()
    assert (
        client.__class__().get(reverse("accounts:invitation", args=["unknown"])).status_code == 410
    )


def test_invite_form_errors_keep_the_data(client, people):
    response = invite_by_view(client, people, agency="", position="Kepala Seksi", nip="1234")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Kepala Seksi"' in page and 'value="baru@luwuutarakab.go.id"' in page
    assert set(response.context["form"].errors) == {"agency", "nip"}


def test_the_role_list_offers_only_grantable_roles(client, people):
    login(client, people["secretariat"])
    form = client.get(reverse("accounts:person_invite", args=["73.22"])).context["form"]
    assert Role.SYSTEM_ADMIN not in dict(form.fields["role"].choices)
    assert list(form.fields["agency"].queryset) == [people["agency"], people["other_agency"]]


def test_password_reset_sends_a_working_link(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_reset"), {"email": people["operator"].email}
        )
    assert response["Location"] == reverse("accounts:password_reset_done")
    link = re.search(r"https?://\S+/sandi/atur/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path)  # Django swaps the token for a session marker and redirects
    response = client.post(
        response["Location"],
        {
            "new_password1": "Sandi-Baru-Sekali-1",
            "new_password2": "Sandi-Baru-Sekali-1",
        },
    )
    assert response["Location"] == LOGIN
    people["operator"].refresh_from_db()
    assert people["operator"].check_password("Sandi-Baru-Sekali-1")
    assert ActivityEntry.objects.filter(action="person.password_reset").exists()


def test_password_reset_does_not_reveal_unknown_addresses(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@nowhere.id"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_change(client, people):
    login(client, people["operator"])
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Sandi-Baru-Sekali-1",
            "new_password2": "Sandi-Baru-Sekali-1",
        },
    )
    assert response["Location"] == reverse("accounts:profile")
    assert client.get("/").status_code == 200  # still logged in


def test_profile_update(client, people):
    login(client, people["operator"])
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Operator Dinkes",
            "position": "Pranata Komputer",
            "nip": "1980 0101 2005 0110 02",
            "phone": "081234567890",
        },
    )
    assert response.status_code == 302
    people["operator"].refresh_from_db()
    assert people["operator"].nip == "198001012005011002"


def test_profile_with_a_bad_phone_keeps_everything(client, people):
    login(client, people["operator"])
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Operator Dinkes",
            "position": "Pranata Komputer",
            "nip": "",
            "phone": "abc",
        },
    )
    assert response.status_code == 200
    assert 'value="Pranata Komputer"' in response.content.decode()
    assert "phone" in response.context["form"].errors


# --- Two-factor login ----------------------------------------------------------------------------


def confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_a_person_with_two_factor_must_give_the_code(client, people):
    device = confirmed_device(people["operator"])
    client.post(LOGIN, {"username": people["operator"].email, "password": PASSWORD})
    response = client.get("/profil/?tab=1")
    assert (
        response["Location"]
        == reverse("accounts:two_factor_verify") + "?next=%2Fprofil%2F%3Ftab%3D1"
    )
    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": "000000", "next": "/profil/"}
    )
    assert response.status_code == 200 and "not correct" in response.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    response = client.post(
        reverse("accounts:two_factor_verify"),
        {"code": f"{totp(device.bin_key):06d}", "next": "/profil/"},
    )
    assert response["Location"] == "/profil/"
    assert client.get("/profil/").status_code == 200


def test_a_region_that_requires_two_factor_sends_its_secretariat_to_set_it_up(
    client, people, luwu_utara
):
    luwu_utara.require_admin_2fa = True
    luwu_utara.save()
    client.post(LOGIN, {"username": people["secretariat"].email, "password": PASSWORD})
    assert client.get("/").headers["Location"] == reverse("accounts:two_factor_setup")
    # An operator of the same region is not concerned.
    other = client.__class__()
    other.post(LOGIN, {"username": people["operator"].email, "password": PASSWORD})
    assert other.get("/").status_code == 200


def test_setting_up_two_factor(client, people):
    login(client, people["operator"])
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=people["operator"], confirmed=False)
    response = client.post(
        reverse("accounts:two_factor_setup"), {"code": f"{totp(device.bin_key):06d}"}
    )
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200  # verified in this session already


# --- People of a region --------------------------------------------------------------------------


def test_people_list_shows_only_the_regions_people(client, people):
    login(client, people["secretariat"])
    page = client.get(reverse("accounts:person_list", args=["73.22"])).content.decode()
    assert people["operator"].email in page
    assert people["neighbour_operator"].email not in page
    assert people["admin"].email not in page


def test_people_list_filters(client, people):
    invite_by_view(client, people)
    url = reverse("accounts:person_list", args=["73.22"])
    page = client.get(url, {"status": "invited"}).content.decode()
    assert "baru@luwuutarakab.go.id" in page and people["juror"].email not in page
    page = client.get(url, {"role": Role.JUROR}).content.decode()
    assert people["juror"].email in page and people["operator"].email not in page
    page = client.get(url, {"q": people["head"].full_name}).content.decode()
    assert people["head"].email in page and people["juror"].email not in page


def test_people_list_costs_the_same_queries_for_more_people(client, people, luwu_utara):
    login(client, people["secretariat"])

    def add_rows():
        for _n in range(12):
            user = person_with_role(Role.OPERATOR, agency=AgencyFactory(region=luwu_utara))
            person_with_role(Role.JUROR, region=luwu_utara)
            Invitation.objects.create(
                user=user,
                region=luwu_utara,
                token_hash=f"h{user.pk}",
                expires_at=timezone.now() + timedelta(days=1),
            )

    assert_constant_queries(client, reverse("accounts:person_list", args=["73.22"]), add_rows)


def test_import_people_from_a_spreadsheet(client, people, django_capture_on_commit_callbacks):
    login(client, people["secretariat"])
    url = reverse("accounts:person_import", args=["73.22"])
    upload = xlsx_upload(
        [
            ["Email", "Nama", "Peran", "Perangkat Daerah", "Jabatan", "NIP"],
            ["a@luwuutarakab.go.id", "Operator A", "operator", "Dinas Kesehatan", "Staf", ""],
            ["b@luwuutarakab.go.id", "Juri B", "juri", "", "", ""],
            ["c@luwuutarakab.go.id", "Kepala C", "kepala", "", "", ""],
            ["d@luwuutarakab.go.id", "Orang D", "raja", "", "", ""],
            ["a@luwuutarakab.go.id", "Operator A lagi", "operator", "Dinas Kesehatan", "", ""],
            ["e@luwuutarakab.go.id", "Orang E", "operator", "Dinas Tidak Ada", "", "123"],
            [people["juror"].email, "Juri lama", "juri", "", "", ""],
        ]
    )
    response = client.post(url, {"file": upload})
    rows = response.context["rows"]
    assert [r.ok for r in rows] == [True, True, False, False, False, False, False]
    assert "Agency: Required" in rows[2].errors[0]
    assert "Unknown role" in rows[3].errors[0]
    assert "earlier row" in rows[4].errors[0]
    assert len(rows[5].errors) == 2  # NIP and agency
    assert "already holds" in rows[6].errors[0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"token": response.context["token"]})
    assert set(
        User.objects.filter(email__in=["a@luwuutarakab.go.id", "b@luwuutarakab.go.id"]).values_list(
            "email", flat=True
        )
    ) == {"a@luwuutarakab.go.id", "b@luwuutarakab.go.id"}
    assert len(mail.outbox) == 2


def test_person_actions_are_refused_to_other_roles(client, people):
    url = reverse("accounts:person_action", args=[people["operator"].pk])
    for role, status in (("head", 404), ("neighbour_secretariat", 404), ("operator", 403)):
        login(client, people[role])
        assert client.post(url, {"action": "deactivate"}).status_code == status
    people["operator"].refresh_from_db()
    assert people["operator"].is_active


def test_grant_and_revoke_a_role_from_the_person_page(client, people):
    login(client, people["secretariat"])
    person = people["juror"]
    url = reverse("accounts:person_action", args=[person.pk])
    client.post(url, {"action": "grant_role", "role": Role.MENTOR})
    assignment = person.role_assignments.get(role=Role.MENTOR)
    client.post(url, {"action": "revoke_role", "assignment": assignment.pk})
    assert list(person.role_assignments.values_list("role", flat=True)) == [Role.JUROR]


def test_a_neighbours_role_cannot_be_revoked_through_our_page(client, people):
    login(client, people["secretariat"])
    foreign = people["neighbour_operator"].role_assignments.get()
    response = client.post(
        reverse("accounts:person_action", args=[people["operator"].pk]),
        {"action": "revoke_role", "assignment": foreign.pk},
    )
    assert response.status_code == 404
    assert people["neighbour_operator"].role_assignments.exists()


def test_deactivate_then_reactivate_from_the_person_page(client, people):
    login(client, people["secretariat"])
    url = reverse("accounts:person_action", args=[people["operator"].pk])
    client.post(url, {"action": "deactivate"})
    people["operator"].refresh_from_db()
    assert not people["operator"].is_active
    page = client.get(
        reverse("accounts:person_detail", args=[people["operator"].pk])
    ).content.decode()
    assert "Account deactivated" in page  # in the person's history
    client.post(url, {"action": "reactivate"})
    people["operator"].refresh_from_db()
    assert people["operator"].is_active
