import os

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acdash.settings")
application = get_wsgi_application()

# Production's whitenoise serves static files; `make run-scaled`'s gunicorn, on the
# development settings, serves them as runserver does (DEBUG off as well).
if "whitenoise.middleware.WhiteNoiseMiddleware" not in settings.MIDDLEWARE:
    application = StaticFilesHandler(application)
