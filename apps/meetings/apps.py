from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "apps.meetings"
    verbose_name = "会议与表决"
