"""JWT for users: POST /v1/auth/token with email + password, POST /v1/auth/token/refresh."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView


class TokenView(TokenObtainPairView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class RefreshView(TokenRefreshView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


urlpatterns = [
    path("token", TokenView.as_view(), name="token-obtain"),
    path("token/refresh", RefreshView.as_view(), name="token-refresh"),
]
