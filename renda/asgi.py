import os

from django.core.asgi import get_asgi_application

from renda.settings import module_for_environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", module_for_environment())
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402  (needs the apps loaded first)

application = ProtocolTypeRouter({"http": django_asgi_app})
