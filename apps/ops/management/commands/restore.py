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
        parser.add_argument(
            "--reanchor-reason",
            default="",
            help="when the restored log ends before the latest signed checkpoint (a restore to an older "
            "point), declare it with this reason: an audited, signed re-anchor",
        )

    def handle(self, *args, **options):
        try:
            r = services.restore(options["archive"], reanchor_reason=options["reanchor_reason"])
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
        for problem in r.checkpoint_problems:
            self.stdout.write(self.style.ERROR(problem))
        for declared in r.checkpoint_declared:
            self.stdout.write(self.style.WARNING(f"declared: {declared}"))
        if r.checkpoints_put_back:
            self.stdout.write("checkpoints: the backup's copy of the checkpoint file was put in place")
        if r.checkpoint_verified:
            cp = r.checkpoint_verified
            self.stdout.write(f"checkpoints: the log matches signed checkpoint #{cp['seq']} of {cp['at']}")
        if r.checkpoint_problems and not r.audit_problems:
            self.stdout.write(
                self.style.WARNING(
                    "a restore to a point older than the latest checkpoint: if that is what you meant, "
                    'run `manage.py reanchor --reason "..."` (or restore with --reanchor-reason)'
                )
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
