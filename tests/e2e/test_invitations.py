"""A person joins by invitation: the secretariat invites, the email's link sets the password."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.e2e.conftest import EMAIL, assert_accessible, log_in, log_out, submit

NEW_PASSWORD = "Masamba-Lagaligo-2026"
LINK = re.compile(r"https?://\S+?(/undangan/[^\s/]+/)")


def invitation_path(outbox, email) -> str:
    """The path of the invitation link in the last email sent to `email`."""
    mails = [m for m in outbox if m.to == [email]]
    assert mails, f"no email to {email} in {[m.to for m in outbox]}"
    match = LINK.search(mails[-1].body)
    assert match, mails[-1].body
    return match.group(1)


def assert_link_refused(page, path):
    response = page.goto(path)
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("input[type=password]")).to_have_count(0)
    expect(page.locator("main a[href='/masuk/']")).to_be_visible()


def test_invitation_sent_accepted_and_not_reusable(new_page, people, mailoutbox):
    from siwanda.accounts.models import User

    email = "andi.baso@luwuutarakab.go.id"
    secretariat = new_page()
    log_in(secretariat, people["secretariat"].email)
    secretariat.goto("/wilayah/73.22/pengguna/")
    with secretariat.expect_navigation():
        secretariat.locator("main a[href='/wilayah/73.22/pengguna/undang/']").click()
    assert_accessible(secretariat, label="invitation form")

    secretariat.get_by_label(EMAIL).fill(email)
    secretariat.locator("#id_full_name").fill("Andi Baso Rahman")
    secretariat.locator("#id_position").fill("Analis Kebijakan")
    secretariat.locator("#id_role").select_option("operator")
    secretariat.locator("#id_agency").select_option(label="Dinas Kesehatan")
    secretariat.locator("#id_language").select_option("id")
    submit(secretariat)

    expect(secretariat).to_have_url(re.compile(r"/pengguna/\d+/$"))
    invitee = User.objects.get(email=email)
    expect(secretariat).to_have_url(f"/pengguna/{invitee.pk}/")
    expect(secretariat.get_by_role("heading", level=1)).to_have_text("Andi Baso Rahman")
    assert not invitee.has_usable_password()
    assert_accessible(secretariat, label="page of the invited person")
    path = invitation_path(mailoutbox, email)

    # The invitee, on their own computer, opens the link from the email.
    page = new_page()
    page.goto(path)
    expect(page.locator("main")).to_contain_text(email)
    expect(page.locator("#id_full_name")).to_have_value("Andi Baso Rahman")
    assert_accessible(page, label="invitation page")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    submit(page)

    expect(page).to_have_url("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Andi Baso Rahman")
    expect(page.locator("main section[aria-labelledby^='panel-'] h2")).to_have_text(
        "Dinas Kesehatan"
    )

    # The link worked once: opened again, it says so and offers the login page.
    assert_link_refused(page, path)
    log_out(page)
    assert_link_refused(page, path)

    # The password set through the link is the one that logs in.
    again = new_page()
    log_in(again, email, NEW_PASSWORD)
    expect(again).to_have_url("/")
    expect(again.get_by_role("heading", level=1)).to_contain_text("Andi Baso Rahman")


def test_invitation_expired_or_unknown_link_shows_clear_page(page, people, mailoutbox):
    from django.utils import timezone

    from siwanda.accounts import services
    from siwanda.accounts.models import Invitation, Role

    email = "late.reader@luwuutarakab.go.id"
    services.user_invite(
        actor=people["secretariat"],
        email=email,
        full_name="Late Reader",
        role=Role.MENTOR,
        region=people["secretariat"].role_assignments.get().region,
    )
    path = invitation_path(mailoutbox, email)
    Invitation.objects.filter(user__email=email).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    assert_link_refused(page, path)
    assert_accessible(page, label="expired invitation page")

    assert_link_refused(page, "/undangan/this-is-not-a-token/")


def test_invitation_weak_password_explained_and_accessible(page, people, mailoutbox):
    from siwanda.accounts import services
    from siwanda.accounts.models import Role

    email = "weak.password@luwuutarakab.go.id"
    services.user_invite(
        actor=people["secretariat"],
        email=email,
        full_name="Weak Password",
        role=Role.JUROR,
        region=people["secretariat"].role_assignments.get().region,
    )
    page.goto(invitation_path(mailoutbox, email))
    page.locator("#id_full_name").fill("Wira Pratama")
    page.locator("#id_password1").fill("12345")
    page.locator("#id_password2").fill("12345")
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        submit(page)

    assert info.value.status == 200
    password = page.locator("#id_password1")
    expect(password).to_have_attribute("aria-invalid", "true")
    # Every reason is listed, and the field's description points at them.
    errors = page.locator("#id_password1_error")
    expect(errors).to_have_count(1)
    expect(errors.locator("> *")).to_have_count(3)  # too short, too common, only digits
    expect(password).to_have_attribute("aria-describedby", re.compile(r"\bid_password1_error\b"))
    expect(page.locator("#id_full_name")).to_have_value("Wira Pratama")
    assert_accessible(page, label="invitation page with password errors")
