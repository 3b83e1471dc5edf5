"""A box with its tellers' keys made, ready to open, for the tests."""

from apps.ballotbox import services


def ready_box(world, *, labels=("赞成", "反对", "弃权"), tellers=None):
    """A box in town A with tellers (town office and deputy by default); returns (box, {user: code})."""
    tellers = tellers or [world.town_user, world.deputy_user]
    box = services.create_box(
        actor=world.town_user, region=world.town_a, title="测试表决", labels=list(labels), tellers=tellers
    )
    codes = {u: services.make_teller_key(actor=u, box_id=box.pk) for u in tellers}
    return box, codes
