import os

from django.core.asgi import get_asgi_application

from renda.settings import module_for_environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", module_for_environment())
django_asgi_app = get_asgi_application()

# Imported after the apps are loaded.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from apps.meetings.routing import BearerTokenMiddleware, websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Live meeting screens: the session cookie (or a bearer token), and only from this site's origins.
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(BearerTokenMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
