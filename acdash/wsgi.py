import os

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acdash.settings")
application = get_wsgi_application()

if settings.DEBUG:  # `make run-scaled`'s gunicorn serves static files as runserver does
    application = StaticFilesHandler(application)
