from ninja import Router

router = Router(tags=["meetings"])
public_router = Router(tags=["meetings"], auth=None)
