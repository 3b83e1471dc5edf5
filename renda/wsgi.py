import os

from django.core.wsgi import get_wsgi_application

from renda.settings import module_for_environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", module_for_environment())
application = get_wsgi_application()
