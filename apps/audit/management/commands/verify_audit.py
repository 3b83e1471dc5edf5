from django.core.management.base import BaseCommand, CommandError

from apps.audit.models import AuditEvent
from apps.audit.services import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain; report every edited, inserted or deleted entry."

    def handle(self, *args, **options):
        problems = list(verify_chain())
        total = AuditEvent.objects.count()
        for p in problems:
            self.stdout.write(self.style.ERROR(p))
        if problems:
            raise CommandError(f"audit log broken: {len(problems)} problem(s) in {total} entries")
        self.stdout.write(self.style.SUCCESS(f"audit log intact: {total} entries"))
