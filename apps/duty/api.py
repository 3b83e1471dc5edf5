from ninja import Router

router = Router(tags=["duty"])
public_router = Router(tags=["duty"], auth=None)
