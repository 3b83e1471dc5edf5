from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "apps.meetings"
    verbose_name = "会议与表决"

    def ready(self):
        from apps.ballotbox.signals import tallied

        from . import workflow  # noqa: F401  registers the deliberation digest's table
        from .services.votes import on_box_tallied

        tallied.connect(on_box_tallied, dispatch_uid="meetings.vote_tallied")
