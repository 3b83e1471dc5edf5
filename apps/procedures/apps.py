from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "apps.procedures"
    verbose_name = "流程图与规则汇编"
