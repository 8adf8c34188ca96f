"""WSGI entry point (gunicorn perspective.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspective.settings")

application = get_wsgi_application()
