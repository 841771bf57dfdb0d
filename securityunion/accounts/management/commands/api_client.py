import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from securityunion.accounts.models import ApiClient, Organisation
from securityunion.accounts.services import (
    api_client_create,
    api_client_revoke,
    api_client_rotate,
)


class Command(BaseCommand):
    help = "Manage company API clients (OAuth 2 client credentials)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a client; prints its secret once.")
        create.add_argument("--organisation", required=True, help="The company's slug.")
        create.add_argument("--name", default="", help="A label for the client.")
        sub.add_parser("list", help="List clients.")
        revoke = sub.add_parser("revoke", help="Revoke a client and its tokens.")
        revoke.add_argument("--client-id", required=True)
        rotate = sub.add_parser(
            "rotate", help="Give a client a new secret (printed once); the old one stops working."
        )
        rotate.add_argument("--client-id", required=True)

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        action = options["action"]
        if action == "create":
            try:
                organisation = Organisation.objects.get(slug=options["organisation"])
            except Organisation.DoesNotExist:
                raise CommandError(
                    f"No organisation with slug {options['organisation']!r}."
                ) from None
            try:
                client, secret = api_client_create(organisation=organisation, name=options["name"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write("Store the secret now: it is kept hashed and cannot be shown again.")
            self.stdout.write(
                json.dumps({"client_id": client.application.client_id, "client_secret": secret})
            )
        elif action == "list":
            for client in ApiClient.objects.select_related("organisation", "application"):
                state = "revoked" if client.revoked_at else "active"
                self.stdout.write(
                    f"{client.application.client_id}\t{client.organisation.slug}\t{state}"
                )
        elif action == "revoke":
            try:
                client = ApiClient.objects.get(application__client_id=options["client_id"])
            except ApiClient.DoesNotExist:
                raise CommandError("No such client.") from None
            api_client_revoke(client=client)
            self.stdout.write(self.style.SUCCESS("Client revoked."))
        elif action == "rotate":
            try:
                client = ApiClient.objects.get(application__client_id=options["client_id"])
            except ApiClient.DoesNotExist:
                raise CommandError("No such client.") from None
            try:
                client, secret = api_client_rotate(client=client)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write(
                "Store the new secret now: it is kept hashed and cannot be shown again. "
                "The old secret and the client's tokens no longer work."
            )
            self.stdout.write(
                json.dumps({"client_id": client.application.client_id, "client_secret": secret})
            )
