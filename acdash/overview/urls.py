from django.urls import path

from . import listing, saved_views, search

urlpatterns = [
    # The table of accounts, its batches of rows and one row (its Refresh)
    path("", listing.overview, name="overview"),
    path("figures/", listing.figures_batch, name="overview_figures"),
    path("a/<slug:account>/card/", listing.card, name="overview_card"),
    # Saved views
    path("views/", saved_views.save_view, name="overview_save_view"),
    path("views/<int:view_id>/delete/", saved_views.delete_view, name="overview_delete_view"),
    # The cross-account search
    path("search/", search.search, name="search"),
]
