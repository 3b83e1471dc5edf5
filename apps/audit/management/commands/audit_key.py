from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.audit import keys


class Command(BaseCommand):
    help = (
        "The audit checkpoint signing key: `show` prints the current public key and key id (publish them), "
        "`new PATH` writes a new key to PATH (mode 0600, never over a file) for a rotation."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["show", "new"])
        parser.add_argument("path", nargs="?", type=Path)

    def handle(self, *args, **options):
        if options["what"] == "show":
            vk = keys.signing_key().verify_key
            self.stdout.write(f"key id:     {keys.key_id(vk)}")
            self.stdout.write(f"public key: {keys.public_hex(vk)}")
            for kid, old in keys.trusted_keys().items():
                if kid != keys.key_id(vk):
                    self.stdout.write(f"earlier:    {kid} {keys.public_hex(old)}")
            return
        if not options["path"]:
            raise CommandError("new needs the PATH of the new key file")
        try:
            key = keys.write_new_key(options["path"])
        except FileExistsError as exc:
            raise CommandError(f"{options['path']} exists already; choose another path") from exc
        current = keys.signing_key().verify_key
        self.stdout.write(f"new key id:     {keys.key_id(key.verify_key)}")
        self.stdout.write(f"new public key: {keys.public_hex(key.verify_key)}")
        self.stdout.write(
            "To rotate: add the current public key "
            f"{keys.public_hex(current)} to RENDA_AUDIT_PUBLIC_KEYS, set RENDA_AUDIT_SIGNING_KEY_FILE="
            f"{options['path']}, restart the web servers and the huey worker."
        )
