"""A second factor is required of every signed-in user when MFA_REQUIRED is on."""

import time

import pytest
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from securityunion.audit.models import AuditEvent

BANNER = "Two-factor authentication is not enforced on this demo"


@pytest.fixture
def mfa_required(settings):  # noqa: ANN001, ANN201
    settings.MFA_REQUIRED = True
    return settings


def test_a_user_without_a_second_factor_is_sent_to_enrol(client, mfa_required, caseworker):
    client.force_login(caseworker)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_the_admin_is_closed_too_until_enrolment(client, mfa_required, administrator):
    client.force_login(administrator)
    response = client.get("/" + mfa_required.ADMIN_URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_the_api_answers_403_until_enrolment(client, mfa_required, caseworker):
    client.force_login(caseworker)
    response = client.get("/api/v1/whoami/")
    assert response.status_code == 403 and response.json()["code"] == "mfa_required"


def test_the_two_factor_pages_and_sign_out_stay_open(client, mfa_required, caseworker):
    client.force_login(caseworker)
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_user_with_a_second_factor_passes(client, mfa_required, caseworker):
    TOTP.activate(caseworker, generate_totp_secret())
    client.force_login(caseworker)
    assert client.get("/").status_code == 200


def test_with_mfa_relaxed_every_page_says_so(client, settings, caseworker):
    settings.MFA_REQUIRED = False
    assert BANNER in client.get("/accounts/login/").content.decode()
    client.force_login(caseworker)
    assert BANNER in client.get("/").content.decode()


def test_with_mfa_required_no_banner(client, mfa_required, caseworker):
    TOTP.activate(caseworker, generate_totp_secret())
    client.force_login(caseworker)
    assert BANNER not in client.get("/").content.decode()


def _settings_value(name: str, **env: str) -> str:
    import os
    import subprocess
    import sys

    environment = {
        k: v for k, v in os.environ.items() if k not in ("SECURITYUNION_TESTING", "DEBUG")
    }
    environment.update(
        SECRET_KEY="s" * 64,
        FIELD_ENCRYPTION_KEY="ZmllbGQta2V5LWZvci10ZXN0cy0wMTIzNDU2Nzg5YWI=",
        AUDIT_SIGNING_KEY="cHJvZHVjdGlvbi1saWtlLWF1ZGl0LXNlYWwta2V5LSE=",
        **env,
    )
    code = f"import securityunion.settings as s; print(s.{name})"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_settings_cannot_relax_mfa():
    assert _settings_value("MFA_REQUIRED", MFA_REQUIRED="0") == "True"


def test_the_demo_relaxes_mfa_unless_asked():
    assert _settings_value("MFA_REQUIRED", DEBUG="1") == "False"
    assert _settings_value("MFA_REQUIRED", DEBUG="1", MFA_REQUIRED="1") == "True"


@pytest.mark.parametrize(
    ("signal", "action"),
    [
        (mfa_signals.authenticator_added, "added"),
        (mfa_signals.authenticator_removed, "removed"),
        (mfa_signals.authenticator_reset, "recovery codes regenerated"),
    ],
)
def test_a_two_factor_change_is_audited(caseworker, signal, action):
    authenticator = TOTP.activate(caseworker, generate_totp_secret()).instance
    signal.send(sender=Authenticator, request=None, user=caseworker, authenticator=authenticator)
    event = AuditEvent.objects.get(verb="mfa_changed")
    assert event.actor_id == caseworker.pk
    assert event.data == {"action": action, "type": "totp"}


def test_a_user_signing_in_without_a_factor_can_complete_enrolment(
    client, mfa_required, caseworker, django_capture_on_commit_callbacks
):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from .conftest import PASSWORD, sign_in

    # A slow machine may cross a 30-second step between computing the code and posting it.
    mfa_required.MFA_TOTP_TOLERANCE = 1
    response = sign_in(client, caseworker)
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert response.request["PATH_INFO"] == "/accounts/2fa/totp/activate/"
    secret = client.session["mfa.totp.secret"]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/totp/activate/", {"code": code, "signup": ""})
    assert Authenticator.objects.filter(user=caseworker, type="totp").exists()
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(verb="mfa_changed", actor=caseworker).exists()
