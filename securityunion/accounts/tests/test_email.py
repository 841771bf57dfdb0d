"""E-mail changes need the password and a verified address; resets go to verified ones."""

from allauth.account.models import EmailAddress
from django.core import mail

from securityunion.audit.models import AuditEvent

from .conftest import PASSWORD, sign_in


def test_adding_an_address_asks_for_the_password_first(client, caseworker):
    client.force_login(caseworker)
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.eu"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not EmailAddress.objects.filter(email="new@example.eu").exists()


def test_a_changed_address_waits_for_verification_and_is_audited(client, caseworker):
    EmailAddress.objects.create(
        user=caseworker, email=caseworker.email, verified=True, primary=True
    )
    sign_in(client, caseworker)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.eu"})
    address = EmailAddress.objects.get(email="new@example.eu")
    assert not address.verified
    caseworker.refresh_from_db()
    assert caseworker.email == "cw1@example.eu"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.eu"]
    event = AuditEvent.objects.get(verb="email_changed")
    assert event.data == {"action": "added", "address": address.pk}


def test_a_reset_is_not_sent_to_an_unverified_address(client, caseworker):
    EmailAddress.objects.create(user=caseworker, email=caseworker.email, verified=False)
    client.post("/accounts/password/reset/", {"email": caseworker.email})
    assert mail.outbox == []
    assert AuditEvent.objects.get(verb="password_reset_requested").data == {"accounts": 0}


def test_a_reset_goes_to_a_verified_address_and_is_audited(client, caseworker):
    EmailAddress.objects.create(user=caseworker, email=caseworker.email, verified=True)
    client.post("/accounts/password/reset/", {"email": caseworker.email})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [caseworker.email]
    event = AuditEvent.objects.get(verb="password_reset_requested")
    assert event.object_id == str(caseworker.pk)
