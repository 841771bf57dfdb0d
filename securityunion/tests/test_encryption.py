"""Field encryption: the key ring, rotation, values bound to their column, the old format."""

import base64
import hashlib
import io
import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.management import call_command
from django.db import connection

from securityunion.lib.encryption import (
    DecryptionError,
    current_text_prefix,
    decrypt_bytes,
    decrypt_text,
    encrypt_bytes,
    encrypt_text,
    key_ring,
)
from tests.testapp.models import SealedNote

OLD = "old-key-0123456789abcdef0123456789abcdef"
NEW = "new-key-fedcba9876543210fedcba9876543210"


def _v1_text(secret: str, plain: str) -> str:
    """A value as the first release stored it (``v1:``, no key id, no column binding)."""
    key = hashlib.sha256(("securityunion-field-v1:" + secret).encode()).digest()
    nonce = os.urandom(12)
    return (
        "v1:"
        + base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plain.encode(), b"v1:")).decode()
    )


def _stored(note: SealedNote, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM testapp_sealednote WHERE id = %s", [note.pk])  # noqa: S608
        return cursor.fetchone()[0]


def _store_raw(note: SealedNote, column: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE testapp_sealednote SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, note.pk],
        )


def test_a_value_names_the_newest_key_of_the_ring(settings):
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    stored = encrypt_text("Jane", context="a.b.c")
    assert stored.startswith(current_text_prefix())
    assert stored.split(":")[1] == key_ring().newest.key_id_hex


def test_the_key_id_does_not_reveal_the_key(settings):
    settings.FIELD_ENCRYPTION_KEY = NEW
    assert key_ring().newest.key_id_hex not in hashlib.sha256(NEW.encode()).hexdigest()


def test_a_value_under_an_older_key_still_opens_after_rotation(settings):
    settings.FIELD_ENCRYPTION_KEY = OLD
    stored = encrypt_text("Jane", context="a.b.c")
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    assert decrypt_text(stored, context="a.b.c") == "Jane"


def test_a_value_moved_to_another_column_does_not_open(settings):
    stored = encrypt_text("Jane", context="victims.victimcase.name")
    with pytest.raises(DecryptionError):
        decrypt_text(stored, context="victims.victimcase.address")


def test_a_field_binds_its_value_to_its_model_and_column(db):
    note = SealedNote.objects.create(body="Jane Doe", other="nothing")
    _store_raw(note, "other", _stored(note, "body"))
    with pytest.raises(DecryptionError):
        SealedNote.objects.get(pk=note.pk)


def test_a_document_copied_to_another_export_does_not_open():
    sealed = encrypt_bytes(b"%PDF-1.7", context="documents.documentexport.sealed_pdf:1")
    assert decrypt_bytes(sealed, context="documents.documentexport.sealed_pdf:1") == b"%PDF-1.7"
    with pytest.raises(DecryptionError):
        decrypt_bytes(sealed, context="documents.documentexport.sealed_pdf:2")


def test_a_value_under_a_key_not_in_the_ring_is_refused(settings):
    settings.FIELD_ENCRYPTION_KEY = OLD
    stored = encrypt_text("Jane", context="a.b.c")
    settings.FIELD_ENCRYPTION_KEY = NEW
    with pytest.raises(DecryptionError):
        decrypt_text(stored, context="a.b.c")


def test_bytes_under_a_key_not_in_the_ring_are_refused(settings):
    settings.FIELD_ENCRYPTION_KEY = OLD
    sealed = encrypt_bytes(b"secret", context="x")
    settings.FIELD_ENCRYPTION_KEY = NEW
    with pytest.raises(DecryptionError):
        decrypt_bytes(sealed, context="x")


def test_a_tampered_value_is_refused():
    stored = encrypt_text("Jane", context="a.b.c")
    head, body = stored.rsplit(":", 1)
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(DecryptionError):
        decrypt_text(f"{head}:{base64.b64encode(bytes(raw)).decode()}", context="a.b.c")


@pytest.mark.parametrize("garbage", ["v2:zz:abc", "v2:0011:!!!", "v1:%%%", "plain"])
def test_garbage_is_a_decryption_error_not_a_crash(garbage):
    with pytest.raises(DecryptionError):
        decrypt_text(garbage, context="a.b.c")


def test_an_old_v1_value_stays_readable(settings):
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    assert decrypt_text(_v1_text(OLD, '{"name": "Jane"}'), context="any.thing") == (
        '{"name": "Jane"}'
    )


def test_an_old_headerless_document_stays_readable(settings):
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    key = hashlib.sha256(("securityunion-field-v1:" + OLD).encode()).digest()
    nonce = os.urandom(12)
    sealed = nonce + AESGCM(key).encrypt(nonce, b"%PDF-old", b"v1:")
    assert decrypt_bytes(sealed, context="documents.documentexport.sealed_pdf:1") == b"%PDF-old"


def test_an_old_v1_value_reads_through_the_model_field(db, settings):
    settings.FIELD_ENCRYPTION_KEY = OLD
    note = SealedNote.objects.create()
    _store_raw(note, "details", _v1_text(OLD, '{"handle": "@jane"}'))
    assert SealedNote.objects.get(pk=note.pk).details == {"handle": "@jane"}


def test_the_old_import_path_still_works():
    from securityunion.casework import fields

    assert (
        fields.EncryptedJSONField
        is __import__(
            "securityunion.lib.encryption", fromlist=["EncryptedJSONField"]
        ).EncryptedJSONField
    )


def test_the_encryption_module_imports_nothing_of_the_project():
    import ast
    from pathlib import Path

    import securityunion.lib.encryption as module

    tree = ast.parse(Path(module.__file__).read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    project = {"securityunion", "reports", "victims", "drugs", "firearms", "prevention"}
    assert not {name for name in imported if name.split(".")[0] in project}


# --- re-encryption -------------------------------------------------------------------------


def test_reencrypt_fields_rewrites_every_value_under_the_newest_key(db, settings):
    settings.FIELD_ENCRYPTION_KEY = OLD
    notes = [SealedNote.objects.create(body=f"n{i}", details={"i": i}) for i in range(5)]
    _store_raw(notes[0], "other", _v1_text(OLD, "legacy"))
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    call_command("reencrypt_fields", "--batch-size", "2", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEY = NEW  # the old key is gone: everything must still open
    prefix = current_text_prefix()
    for note in notes:
        assert _stored(note, "body").startswith(prefix)
        assert _stored(note, "details").startswith(prefix)
    reread = SealedNote.objects.get(pk=notes[0].pk)
    assert (reread.body, reread.details, reread.other) == ("n0", {"i": 0}, "legacy")


def test_reencrypt_fields_is_idempotent(db, settings):
    settings.FIELD_ENCRYPTION_KEY = OLD
    note = SealedNote.objects.create(body="Jane")
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    call_command("reencrypt_fields", stdout=io.StringIO())
    first = _stored(note, "body")
    out = io.StringIO()
    call_command("reencrypt_fields", stdout=out)
    assert _stored(note, "body") == first
    assert "0 values rewritten" in out.getvalue()


@pytest.mark.urls("tests.testapp.urls")
def test_reencrypt_fields_rewrites_stored_case_files(client, make_user, settings):
    from securityunion.documents.models import DocumentExport
    from securityunion.tests.factories import sample_case

    settings.FIELD_ENCRYPTION_KEY = OLD
    reviewer = make_user("firearms_reviewer", "BE", username="reviewer_rotation")
    case = sample_case()
    client.force_login(reviewer)
    client.get(f"/testapp/{case.reference}/pdf/")
    export = DocumentExport.objects.get()
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    call_command("reencrypt_fields", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEY = NEW
    response = client.get(f"/casework/exports/{export.pk}/pdf/")
    assert response.content.startswith(b"%PDF")


def test_production_refuses_the_development_key_anywhere_in_the_ring():
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    from securityunion.settings import DEVELOPMENT_FIELD_ENCRYPTION_KEY

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECURITYUNION_TESTING", "DJANGO_SETTINGS_MODULE", "DEBUG")
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="x" * 20 + "-production-like-secret-for-the-check-0123456789",
        FIELD_ENCRYPTION_KEY=f"{NEW},{DEVELOPMENT_FIELD_ENCRYPTION_KEY}",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import securityunion.settings"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY holds the development key" in result.stderr


def test_text_that_looks_like_a_stored_value_is_kept_as_typed(db):
    note = SealedNote(body="v2:00ff:not-a-ciphertext", other="v1:hello")
    note.full_clean()
    note.save()
    reread = SealedNote.objects.get(pk=note.pk)
    assert (reread.body, reread.other) == ("v2:00ff:not-a-ciphertext", "v1:hello")
