from django.urls import path

from apps.devices.api import views

urlpatterns = [
    path("device-links", views.DeviceLinkCollectionView.as_view(), name="device-link-list"),
    path("device-links/<str:pk>", views.DeviceLinkDetailView.as_view(), name="device-link-detail"),
    path("device-links/<str:pk>/sync", views.DeviceLinkSyncView.as_view(), name="device-link-sync"),
    path(
        "device-links/<str:pk>/readings", views.DeviceLinkReadingsView.as_view(), name="device-link-readings"
    ),
    path("device-links/<str:pk>/relink", views.DeviceLinkRestartView.as_view(), name="device-link-relink"),
    path(
        "device-links/<str:pk>/studio-profile",
        views.DeviceLinkStudioProfileView.as_view(),
        name="device-link-studio-profile",
    ),
]
