from django.core.management.base import BaseCommand, CommandError

from apps.audit import anchors, checkpoints
from apps.common.errors import DomainError


class Command(BaseCommand):
    help = (
        "Declare a re-anchor of the audit log (after a restore to an older point, or a deliberate relink): "
        "audited as audit.reanchored with the reason, then a signed checkpoint of kind 'reanchor' that "
        "supersedes the checkpoints before it. Refused while the chain itself has a break."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reason", required=True, help="why (kept in the log and in the checkpoint)")

    def handle(self, *args, **options):
        try:
            line = anchors.reanchor(reason=options["reason"])
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        if line is None:
            raise CommandError("the audit log is empty: nothing to anchor")
        fp = checkpoints.short(checkpoints.fingerprint(line))
        self.stdout.write(self.style.SUCCESS(f"re-anchored at #{line['seq']} (fingerprint {fp})"))
