from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "apps.evaluations"
    verbose_name = "工作评议"

    def ready(self):
        from apps.ballotbox.signals import tallied

        from . import ballots, workflow  # noqa: F401  registers the evaluation and survey tables

        tallied.connect(ballots.on_tallied, dispatch_uid="evaluations.survey.tallied")

        from apps.meetings import extras

        from . import meeting_extras

        extras.register_minutes_section(meeting_extras.minutes_sections)
        extras.register_screen_block(meeting_extras.screen_blocks)
