from django.urls import path

from . import views

urlpatterns = [
    # Health of this web process, for load balancers and monitoring: no log-in.
    path("healthz", views.healthz, name="healthz"),
]
