from django.core.management.base import BaseCommand, CommandError

from apps.audit import anchors, checkpoints
from apps.audit.models import AuditEvent
from apps.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain (every edited, inserted or deleted entry), then the log against "
        "the signed checkpoints outside the database (a cut tail, a rewritten and relinked entry, a bad "
        "signature or unknown key); declared re-anchors are listed, not counted as problems."
    )

    def handle(self, *args, **options):
        problems = list(verify_chain())
        total = AuditEvent.objects.count()
        report = anchors.verify()
        problems += report.problems
        for p in problems:
            self.stdout.write(self.style.ERROR(p))
        for d in report.declared:
            self.stdout.write(self.style.WARNING(f"declared: {d}"))
        if problems:
            raise CommandError(f"audit log broken: {len(problems)} problem(s) in {total} entries")
        self.stdout.write(self.style.SUCCESS(f"audit log intact: {total} entries"))
        cp = report.verified
        if cp:
            self.stdout.write(
                f"latest verified checkpoint: #{cp['seq']} of {cp['at']} "
                f"(fingerprint {checkpoints.short(checkpoints.fingerprint(cp))}, key {cp['key_id']}; "
                f"{report.checkpoints} checkpoint(s) in {anchors.checkpoint_path()})"
            )
        else:
            self.stdout.write(self.style.WARNING(f"no signed checkpoint yet in {anchors.checkpoint_path()}"))
