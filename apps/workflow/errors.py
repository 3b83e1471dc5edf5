from django.utils.translation import gettext_lazy as _

from apps.common.errors import CommonCode, DomainError


class IllegalTransition(DomainError):
    status = 409
    code = CommonCode.ILLEGAL_TRANSITION
    default_message = _("当前状态下不能进行此操作")


class Conflict(DomainError):
    status = 409
    code = CommonCode.CONFLICT
    default_message = _("该事项刚被他人处理，请刷新页面后再试")
