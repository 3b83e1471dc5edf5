import os

from django.core.asgi import get_asgi_application

from renda.settings import module_for_environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", module_for_environment())
django_asgi_app = get_asgi_application()

# Imported after the apps are loaded.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from apps.dashboards.routing import websocket_urlpatterns as dashboard_ws  # noqa: E402
from apps.meetings.fastpath import BallotFastPath  # noqa: E402
from apps.meetings.routing import BearerTokenMiddleware, websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        # A phone's ballot in the plain case is answered without Django's request cycle; all else is Django's.
        "http": BallotFastPath(django_asgi_app),
        # Live meeting and big screens: the session cookie (or a bearer token), only from our origins.
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(BearerTokenMiddleware(URLRouter(websocket_urlpatterns + dashboard_ws)))
        ),
    }
)
