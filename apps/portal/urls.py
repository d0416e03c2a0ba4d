from django.contrib.auth import views as auth_views
from django.urls import path

from apps.portal import views

app_name = "portal"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:login"), name="logout"),
    path("", views.dashboard, name="dashboard"),
]
