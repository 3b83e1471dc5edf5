"""GET /api/v1/audit/checkpoint: the audit log's latest signed checkpoint, open to anyone (issue 22).

Public by design: a checkpoint names no person and no object, only the chain's head (sequence number and
link), its time and signature; publishing it is what lets an outside party catch a cut or rewritten log."""

from __future__ import annotations

from ninja import Router, Schema

from apps.common.api import ErrorOut
from apps.common.errors import NotFound

from . import anchors

router = Router(tags=["audit"], auth=None)


class CheckpointOut(Schema):
    seq: int
    link: str
    at: str
    kind: str
    reason: str
    prev: str
    key_id: str
    signature: str
    public_key: str
    fingerprint: str
    short_fingerprint: str


@router.get("/checkpoint", response={200: CheckpointOut, 404: ErrorOut}, summary="审计日志最新签名检查点")
def latest_checkpoint(request):
    """审计日志链头的最新签名检查点（序号、链值、时间、密钥编号、Ed25519 签名与公钥）；任何人可取，
    用以核对日志未被截断或改写。签名覆盖 v、kind、seq、link、at、reason、key_id、prev 的规范 JSON
    （键排序、无空格、UTF-8），`v` 恒为 1。尚无检查点时为 404。"""
    cp = anchors.latest_public()
    if cp is None:
        raise NotFound()
    return {
        **{k: cp[k] for k in ("seq", "link", "at", "kind", "reason", "prev", "key_id", "public_key")},
        "signature": cp["sig"],
        "fingerprint": cp["fingerprint"],
        "short_fingerprint": cp["short"],
    }
