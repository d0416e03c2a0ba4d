from django.urls import path

from apps.monitoring import portal_views

app_name = "monitoring"

urlpatterns = [
    path("dossiers/<str:pk>/installed-system/", portal_views.installed_design, name="installed_design"),
]
