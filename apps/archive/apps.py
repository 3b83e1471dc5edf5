from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "apps.archive"
    verbose_name = "履职档案"

    def ready(self):
        from apps.ballotbox.signals import tallied

        from . import ballots, workflow  # noqa: F401  registers the commitment and report-back tables

        tallied.connect(ballots.on_tallied, dispatch_uid="archive.report_back.tallied")
