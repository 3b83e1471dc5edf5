from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ops import services
from apps.ops.archive import ArchiveError


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive into an EMPTY database and an empty MEDIA_ROOT: checks every "
        "file's checksum first, then the audit chain; audited as ops.restored. Refuses a non-empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the renda-backup-*.tar.gz file")

    def handle(self, *args, **options):
        try:
            r = services.restore(options["archive"])
        except ArchiveError as exc:
            raise CommandError(str(exc.message)) from exc
        m = r.manifest
        self.stdout.write(
            f"backup of {m['created_at']} ({m['database']['vendor']}, Renda {m['versions']['renda']})"
        )
        self.stdout.write(f"files:    {r.media_files} uploaded files restored, every checksum matches")
        for problem in r.audit_problems:
            self.stdout.write(self.style.ERROR(problem))
        if not r.head_found:
            head = m["audit_head"]
            self.stdout.write(
                self.style.ERROR(f"audit entry #{head['seq']} of the manifest is not in the log")
            )
        if r.unknown_migrations:
            self.stdout.write(
                self.style.WARNING(
                    "archive has migrations this code lacks: " + ", ".join(r.unknown_migrations)
                )
            )
        if r.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"migrations to apply: {len(r.pending_migrations)}; run `manage.py migrate`"
                )
            )
        if not r.audit_ok:
            raise CommandError(f"restored, but the audit log does not verify ({r.audit_entries} entries)")
        self.stdout.write(self.style.SUCCESS(f"restored; audit log intact: {r.audit_entries} entries"))
