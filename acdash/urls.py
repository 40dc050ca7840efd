from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from acdash.login_throttle import ThrottledAdminAuthenticationForm, ThrottledAuthenticationForm

admin.site.login_form = ThrottledAdminAuthenticationForm
# The emulated API first: it answers most of the requests a sandbox deployment serves, and
# its prefix sets the rest aside at once.
urlpatterns = [path("sandbox/", include("acdash.sandbox.urls"))] if settings.SANDBOX_ENABLED else []
urlpatterns += [
    path("", include("acdash.health.urls")),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("acdash.overview.urls")),
    path("", include("acdash.accounts.urls")),
    path("", include("acdash.contacts.urls")),
    path("", include("acdash.deals.urls")),
    path("", include("acdash.tasks.urls")),
    path("", include("acdash.setup.urls")),
    path("", include("acdash.jobs.urls")),
    path("", include("acdash.audit.urls")),
    path("", include("acdash.console.urls")),
    path("", include("acdash.marketing.urls")),
]
