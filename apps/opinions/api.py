from ninja import Router

router = Router(tags=["opinions"])
public_router = Router(tags=["public"])
