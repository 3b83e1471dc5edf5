from ninja import Router

router = Router(tags=["archive"])
public_router = Router(tags=["archive"], auth=None)
