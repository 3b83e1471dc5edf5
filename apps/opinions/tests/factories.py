from apps.opinions import services
from apps.opinions.models import Opinion


def opinion(world, *, actor=None, **data) -> Opinion:
    """An opinion registered by the town office of town A (a letter), unless told otherwise."""
    fields = {
        "source": "letter",
        "title": "月河村三组通组路损毁",
        "content": "月河村三组至四组的通组路雨天泥泞，群众出行困难，希望尽快硬化。",
        "region": world.village_a.code,
        "topic": "road",
        "submitter_name": "王五",
        "submitter_phone": "13900000001",
    }
    fields.update(data)
    return services.register(actor=actor or world.town_user, data=fields)
