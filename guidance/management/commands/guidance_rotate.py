"""`manage.py guidance_rotate <public key> [--key-only|--secret-only]`: issue new credentials."""

from django.core.management.base import BaseCommand, CommandError

from guidance.models import GuidedApp


class Command(BaseCommand):
    help = "Rotate an app's public key and/or secret; the old ones stop working at once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("public_key")
        parser.add_argument("--key-only", action="store_true")
        parser.add_argument("--secret-only", action="store_true")

    def handle(self, public_key: str, key_only: bool, secret_only: bool, **options) -> None:
        app = GuidedApp.objects.filter(public_key=public_key).first()
        if app is None:
            raise CommandError("No app has that public key.")
        app.rotate(key=not secret_only, secret=not key_only)
        self.stdout.write(f"public key: {app.public_key}\nsecret: {app.secret}")
