from django.urls import path  # noqa: F401 (the blocks below fill this in)

app_name = "deals"

# Pipelines with their stages (pipelines.py, templates/deals/pipelines.html) and one
# pipeline's deal board (board.py, templates/deals/board.html).
urlpatterns: list = []

# The deals list (listing.py, templates/deals/list.html) and one deal's page (detail.py,
# templates/deals/detail.html).
urlpatterns += []
