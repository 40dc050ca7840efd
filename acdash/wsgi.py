import gc
import os

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acdash.settings")
application = get_wsgi_application()
# What is loaded by now lives as long as the process: the collector need not walk it again.
# Unfrozen, a full collection walked ~130,000 objects, 110-170 ms with the GIL held, about
# once every hundred requests of a process (measured in-process, session 9).
gc.freeze()

# Production's whitenoise serves static files; `make run-scaled`'s gunicorn, on the
# development settings, serves them as runserver does (DEBUG off as well).
if "whitenoise.middleware.WhiteNoiseMiddleware" not in settings.MIDDLEWARE:
    application = StaticFilesHandler(application)
