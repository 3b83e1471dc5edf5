from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ops import services
from apps.ops.archive import ArchiveError


class Command(BaseCommand):
    help = (
        "Write the database (pg_dump custom format on PostgreSQL, an online copy on SQLite) and every "
        "uploaded file into one dated .tar.gz with manifest.json and SHA256SUMS; audited as ops.backup."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, help="directory for the archive (default: the BACKUP_DIR setting)"
        )

    def handle(self, *args, **options):
        try:
            r = services.backup(directory=options["dir"])
        except ArchiveError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"archive:  {r.path}")
        self.stdout.write(f"sha256:   {r.sha256}  ({r.size} bytes)")
        self.stdout.write(f"files:    {r.media_files} uploaded files, {r.media_bytes} bytes")
        self.stdout.write(self.style.SUCCESS(f"backup written; audit log head #{r.audit_entries}"))
