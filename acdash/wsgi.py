import gc
import os

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acdash.settings")
application = get_wsgi_application()
# The URLconf, every view module it imports and the reverse table load now, not in a new
# process's first request: ~220 ms of a page, and in the sandbox an arrival stamped that much
# late, so calls the limiter spaced looked bunched and one was refused with a 429 (seen on
# a fresh `make run-scaled`, session 11).
get_resolver().reverse_dict  # noqa: B018 (the property loads what it needs)
# What is loaded by now lives as long as the process: the collector need not walk it again.
# Unfrozen, a full collection walked ~130,000 objects, 110-170 ms with the GIL held, about
# once every hundred requests of a process (measured in-process, session 9).
gc.freeze()

# Production's whitenoise serves static files; `make run-scaled`'s gunicorn, on the
# development settings, serves them as runserver does (DEBUG off as well).
if "whitenoise.middleware.WhiteNoiseMiddleware" not in settings.MIDDLEWARE:
    application = StaticFilesHandler(application)
