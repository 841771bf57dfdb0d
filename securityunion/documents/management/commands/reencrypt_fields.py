from django.core.management.base import BaseCommand

from securityunion.documents.reencryption import fields_reencrypt, reencrypt_summary


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field of every model, and every stored case file, under the "
        "newest key of FIELD_ENCRYPTION_KEY. Batched and idempotent: safe to interrupt and re-run."
    )

    def add_arguments(self, parser):  # noqa: ANN001, ANN201
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options):  # noqa: ANN002, ANN003, ANN201
        counts = fields_reencrypt(batch_size=max(1, options["batch_size"]), log=self.stdout.write)
        self.stdout.write(reencrypt_summary(counts))
