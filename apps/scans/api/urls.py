from django.urls import path

from apps.scans.api import views

urlpatterns = [
    path("scans", views.ScanCollectionView.as_view(), name="scan-list"),
    path("scans/shared/<str:token>", views.SharedScanView.as_view(), name="scan-shared"),
    path("scans/<str:pk>", views.ScanDetailView.as_view(), name="scan-detail"),
    path("scans/<str:pk>/status", views.ScanStatusView.as_view(), name="scan-status"),
    path("scans/<str:pk>/breakdown", views.ScanBreakdownView.as_view(), name="scan-breakdown"),
    path("scans/<str:pk>/adjustments", views.ScanAdjustmentsView.as_view(), name="scan-adjustments"),
    path("scans/<str:pk>/share", views.ScanShareView.as_view(), name="scan-share"),
    path("scans/<str:pk>/branding", views.ScanBrandingView.as_view(), name="scan-branding"),
]
