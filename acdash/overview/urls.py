from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("search/", views.search, name="search"),
    path("a/<slug:account>/card/", views.card, name="overview_card"),
]
