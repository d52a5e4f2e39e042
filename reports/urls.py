from django.urls import path

from . import card_views, views

app_name = "reports"
urlpatterns = [
    path("summary/", views.summary, name="summary"),
    path("summary/<int:pk>/", views.summary, name="summary_unit"),
    path("summary/<int:pk>/xlsx/", views.summary_xlsx, name="summary_xlsx"),
    path("reforms/<int:pk>/comparison/", views.reform_comparison, name="reform_comparison"),
    path("summary/<int:pk>/freeze/", views.summary_freeze, name="summary_freeze"),
    path("frozen/<int:pk>/", views.snapshot_list, name="snapshot_list"),
    path("cards/village/<int:pk>/", card_views.service_card, name="service_card"),
    path("cards/township/<int:pk>/", card_views.service_cards, name="service_cards"),
]
