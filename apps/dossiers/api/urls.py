from django.urls import path

from apps.dossiers.api.views import DossierViewSet

collection = DossierViewSet.as_view({"get": "list", "post": "create"})
item = DossierViewSet.as_view(
    {"get": "retrieve", "patch": "partial_update", "put": "update", "delete": "destroy"}
)

urlpatterns = [
    path("dossiers", collection, name="dossier-list"),
    path("dossiers/<str:pk>", item, name="dossier-detail"),
]
