from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from securityunion.audit import signing
from securityunion.audit.services import audit_verify

EXIT_TAMPERED = 1
EXIT_UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Recompute every audit seal, check its signature and, with a heads file, that every "
        "head written outside the database still matches a seal. Exits 0 when intact, "
        f"{EXIT_TAMPERED} naming the first problem, {EXIT_UNUSABLE} when a key or the heads "
        "file cannot be read."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--heads",
            metavar="FILE",
            default=None,
            help="Seal heads written outside the database (default: AUDIT_HEADS_FILE; a syslog "
            "extract works too). '-' skips this check.",
        )
        parser.add_argument(
            "--verify-key",
            metavar="KEY",
            action="append",
            default=None,
            help="Ed25519 public key, base64 or a file (repeat for rotated keys; default: "
            "AUDIT_VERIFY_KEY, else the public half of the signing key).",
        )
        parser.add_argument(
            "--last-unsigned-seal",
            type=int,
            metavar="ID",
            default=None,
            help="Newest seal made before seals were signed (default: "
            "AUDIT_LAST_UNSIGNED_SEAL); any later unsigned seal is a problem.",
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        try:
            if options["verify_key"]:
                keys = [signing.load_verify_key(value) for value in options["verify_key"]]
                verify_keys = {signing.key_id(key): key for key in keys}
            else:
                verify_keys = signing.configured_verify_keys()
        except (signing.BadKey, ImproperlyConfigured, OSError) as error:
            raise CommandError(f"verify key unusable: {error}", returncode=EXIT_UNUSABLE) from error
        heads_file, explicit = options["heads"], options["heads"] is not None
        if heads_file is None:
            heads_file = settings.AUDIT_HEADS_FILE or None
        if heads_file == "-":
            heads_file = None
        warnings = []
        if heads_file is not None:
            try:
                with open(heads_file, "rb"):
                    pass
            except OSError as error:
                if explicit:
                    raise CommandError(
                        f"heads file unusable: {error}", returncode=EXIT_UNUSABLE
                    ) from error
                warnings.append(f"heads file {heads_file} not read ({error.strerror})")
                heads_file = None
        result = audit_verify(
            verify_keys=verify_keys,
            heads_file=heads_file,
            last_unsigned_seal=options["last_unsigned_seal"],
        )
        for warning in [*warnings, *result.warnings]:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"audit log NOT intact: first problem: {result.problems[0]}",
                returncode=EXIT_TAMPERED,
            )
        checked = f", {result.heads} external heads" if heads_file is not None else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"audit log intact: {result.seals} seals ({result.unsigned} unsigned), "
                f"{result.events} sealed events{checked}."
            )
        )
