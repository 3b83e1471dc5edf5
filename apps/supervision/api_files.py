"""`/api/v1/supervision/activities/{activity_id}/files` (tag supervision, issue 18 part 7): an activity's
materials (its archive), the same as on the activity's page: listed, uploaded, downloaded, scoped."""

from __future__ import annotations

from ninja import File, Router, Schema, Status, UploadedFile

from apps.common.api import ERRORS
from apps.common.errors import NotFound
from apps.workflow.uploads import attachments_of, file_response

from . import selectors as sel
from . import services

router = Router(tags=["supervision"])


class ActivityFileOut(Schema):
    id: int
    name: str
    kind: str
    size: int


@router.get(
    "/activities/{activity_id}/files",
    response={200: list[ActivityFileOut], **ERRORS},
    summary="监督事项的活动材料",
)
def files(request, activity_id: int):
    """本人可见的监督事项的材料（通知、照片、报告、记录等），按上传先后排列。"""
    return list(attachments_of(sel.activity_for(request.user, activity_id)))


@router.post(
    "/activities/{activity_id}/files",
    response={201: ActivityFileOut, **ERRORS},
    summary="上传监督事项的活动材料",
)
def add_file(request, activity_id: int, file: File[UploadedFile]):
    """人大办或参加该监督事项的代表上传材料（图片、PDF、Word、Excel）；已取消的事项不能再上传。"""
    return Status(201, services.attach_file(actor=request.user, activity_id=activity_id, upload=file))


@router.get(
    "/activities/{activity_id}/files/{att}",
    response={200: None, **ERRORS},
    summary="下载监督事项的活动材料",
)
def get_file(request, activity_id: int, att: int):
    """下载一份材料；不在本人可见范围内的事项或材料一律返回 404。"""
    found = attachments_of(sel.activity_for(request.user, activity_id)).filter(pk=att).first()
    if found is None:
        raise NotFound()
    return file_response(found)
