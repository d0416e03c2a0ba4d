from django.urls import path

from apps.studio.api.views import StudioProfileViewSet, StudioUploadViewSet

V = StudioProfileViewSet.as_view

urlpatterns = [
    path("studio-profiles", V({"get": "list", "post": "create"}), name="studio-profile-list"),
    path("studio-profiles/presets", V({"get": "presets"}), name="studio-profile-presets"),
    path(
        "studio-profiles/<str:pk>",
        V({"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}),
        name="studio-profile-detail",
    ),
    path("studio-profiles/<str:pk>/chart", V({"get": "chart"}), name="studio-profile-chart"),
    path("studio-profiles/<str:pk>/export-csv", V({"get": "export_csv"}), name="studio-profile-export-csv"),
    path("studio-profiles/<str:pk>/duplicate", V({"post": "duplicate"}), name="studio-profile-duplicate"),
    path("studio-profiles/<str:pk>/base", V({"post": "base"}), name="studio-profile-base"),
    path(
        "studio-profiles/<str:pk>/base/upload",
        StudioUploadViewSet.as_view({"post": "base_upload"}),
        name="studio-profile-base-upload",
    ),
    path("studio-profiles/<str:pk>/layers", V({"post": "layers_add"}), name="studio-profile-layers"),
    path(
        "studio-profiles/<str:pk>/layers/<str:layer_id>",
        V({"patch": "layer_update", "delete": "layer_remove"}),
        name="studio-profile-layer-detail",
    ),
]
