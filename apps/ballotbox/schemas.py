"""The ballot box's API schemas (each name is one class across the API: tests/test_api_schemas.py)."""

from __future__ import annotations

from ninja import Field, Schema


class BallotBoxIn(Schema):
    region: str = Field(..., description="区划代码", max_length=20)
    title: str = Field(..., min_length=1, max_length=200, description="名称")
    labels: list[str] = Field(..., min_length=2, max_length=50, description="选项，依次排列")
    teller_ids: list[int] = Field(..., min_length=1, max_length=20, description="监票人（用户 id）")


class BallotTellerOut(Schema):
    user_id: int
    name: str
    has_key: bool
    has_share: bool


class BallotBoxOut(Schema):
    id: int
    title: str
    region: str
    state: str
    state_label: str
    labels: list[str]
    questions: list[str] = Field(..., description="选票各行（选举的候选人、测评的对象）；单行表决为空")
    public_key: str
    ballots: int
    tellers: list[BallotTellerOut]
    totals: list[int] | None = Field(..., description="各行各选项的票数，按行依次排列；计票前为空")


class BallotTellerKeyOut(Schema):
    private_share: str = Field(
        ...,
        description="监票密码（64位十六进制）：只显示这一次，请妥善保存，计票时粘贴；同一会议的其他票箱可沿用",
    )


class BallotKeyIn(Schema):
    code: str = Field("", max_length=100, description="沿用的监票密码；不填则生成新密码")


class BallotKeysOut(Schema):
    private_share: str = Field(..., description="监票密码：只显示这一次")
    boxes: int = Field(..., description="生成了密钥份额的票箱数")


class BallotShareIn(Schema):
    code: str = Field(..., min_length=1, max_length=100, description="生成密钥时保存的监票密码")


class BallotSharesOut(Schema):
    boxes: int = Field(..., description="提交了解密份额的票箱数")


class BallotOwedOut(Schema):
    keys: list[int] = Field(..., description="待生成密钥份额的票箱")
    shares: list[int] = Field(..., description="待提交解密份额的票箱")


class BallotPartialIn(Schema):
    partial: list[dict] = Field(..., min_length=1, max_length=50, description="每个选项的部分解密及其证明")


class BallotPublicOut(Schema):
    box: int
    title: str
    labels: list[str]
    state: str
    context: str
    options: int
    rows: int
    questions: list[str]
    key: str
    tellers: list[dict]
    ballots: list[dict]
    combined: list[list[str]]
    totals: list[int]


class BallotVerifyOut(Schema):
    ok: bool
    problems: list[str]
    ballots: int


class BallotReceiptOut(Schema):
    receipt: str
    box: int
    title: str
    state: str
    counted: bool


def _tellers(box):
    if "trustees" in getattr(box, "_prefetched_objects_cache", {}):  # selectors.box_list
        return box.trustees.all()
    return box.trustees.select_related("user", "tally")


def box_out(box) -> dict:
    tellers = [
        {
            "user_id": t.user_id,
            "name": getattr(t.user, "display_name", "") or t.user.get_username(),
            "has_key": bool(t.public_share),
            "has_share": hasattr(t, "tally"),
        }
        for t in _tellers(box)
    ]
    ballots = getattr(box, "n_sealed", None)
    return {
        "id": box.pk,
        "title": box.title,
        "region": box.region.code,
        "state": box.state,
        "state_label": str(box.state_label),
        "labels": list(box.labels),
        "questions": list(box.questions),
        "public_key": box.public_key,
        "ballots": box.sealed.count() if ballots is None else ballots,
        "tellers": tellers,
        "totals": box.totals,
    }
