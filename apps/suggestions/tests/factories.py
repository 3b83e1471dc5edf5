from apps.suggestions import services


def draft(world, *, actor=None, **data):
    """A suggestion drafted by 张三 (deputy_user) of 城关镇, with 赵六 invited to co-sign unless told."""
    fields = {
        "title": "关于硬化月河村通组路的建议",
        "content": "月河村三组至四组通组路约2公里，雨天泥泞，群众出行困难，建议列入明年硬化计划。",
        "topic": "road",
        "period": "between",
        "co_signers": [world.deputy_a2.pk],
    }
    fields.update(data)
    return services.create_draft(actor=actor or world.deputy_user, data=fields)


def deputy_a2_user(world):
    from apps.accounts.tests.factories import user_with

    if not hasattr(world, "deputy_a2_user"):
        world.deputy_a2_user = user_with("deputy", "deputy2", deputy=world.deputy_a2)
        world.deputy_a2.user = world.deputy_a2_user
        world.deputy_a2.save()
    return world.deputy_a2_user
