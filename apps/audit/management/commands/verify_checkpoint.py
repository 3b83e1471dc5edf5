from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.audit import checkpoints, keys


class Command(BaseCommand):
    help = (
        "Check a checkpoint file (one checkpoint a line; an e-mailed one saved as a file) against public "
        "keys, without the database: what an outside party runs on what they were given. Each line's "
        "signature, and that each line follows the one before it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="checkpoints, one JSON object a line")
        parser.add_argument(
            "--public-key",
            action="append",
            required=True,
            help="a trusted public key (64 hex digits); repeat for the keys before a rotation",
        )

    def handle(self, *args, **options):
        try:
            trusted = {keys.key_id(vk): vk for vk in map(keys.parse_public, options["public_key"])}
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        lines = checkpoints.read(path)
        bad, prev, last = 0, None, None
        for ln in lines:
            problem = checkpoints.check(ln.data, trusted) if ln.data is not None else "not JSON"
            if not problem and prev is not None and ln.data["prev"] != prev:
                problem = "does not follow the line before it"
            if problem:
                bad += 1
                self.stdout.write(self.style.ERROR(f"line {ln.number}: {problem}"))
                continue
            prev, last = checkpoints.fingerprint(ln.data), ln.data
        if bad or last is None:
            raise CommandError(f"{bad} bad line(s) of {len(lines)}")
        fp = checkpoints.fingerprint(last)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(lines)} checkpoint(s) verify; the last: #{last['seq']} of {last['at']}, "
                f"link {last['link']}, fingerprint {fp}"
            )
        )
