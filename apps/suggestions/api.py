from ninja import Router

router = Router(tags=["suggestions"])
public_router = Router(tags=["public"])
