import logging
import signal
import threading

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connection

from securityunion.audit.services import audit_seal

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Seal the audit events written since the last seal. Once by default (for a timer each "
        "minute); with --every SECONDS it keeps sealing until stopped (for a process manager). "
        "The Celery beat schedule does the same where a broker runs."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--wait",
            type=float,
            default=5.0,
            help="Seconds to wait for transactions open at the checkpoint.",
        )
        parser.add_argument(
            "--every",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Seal again every SECONDS until stopped (SIGTERM or Ctrl-C).",
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        every = options["every"]
        if every is None:
            self._seal_now(options["wait"])
            return
        if every < 1:
            raise CommandError("--every must be at least 1 second.")
        self._stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: self._stop.set())
        try:
            while True:
                if not connection.in_atomic_block:
                    close_old_connections()  # a restarted database gets a fresh connection
                try:
                    self._seal_now(min(options["wait"], every))
                except DatabaseError:
                    # The database may be restarting: log, and try again at the next round.
                    logger.exception("audit sealing failed; retrying in %s seconds", every)
                if self._sleep(every):
                    break
        except KeyboardInterrupt:
            pass
        self.stdout.write("Stopped.")

    def _sleep(self, seconds: float) -> bool:
        """Wait for the next round; ``True`` once a stop was asked for."""
        return self._stop.wait(seconds)

    def _seal_now(self, wait: float) -> None:
        try:
            seal = audit_seal(wait_seconds=wait)
        except ImproperlyConfigured as error:
            raise CommandError(f"cannot seal: {error}") from error
        if seal is None:
            self.stdout.write("Nothing to seal.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sealed {seal.event_count} events up to #{seal.watermark} as seal #{seal.pk} "
                    f"(key {seal.key_id})."
                )
            )
