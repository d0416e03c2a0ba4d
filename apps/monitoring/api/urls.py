from django.urls import path

from apps.monitoring.api import views

urlpatterns = [
    path("dossiers/<str:pk>/installed-design", views.InstalledDesignView.as_view(), name="installed-design"),
    path("dossiers/<str:pk>/performance", views.PerformanceView.as_view(), name="dossier-performance"),
]
