"""JWT for users: POST /v1/auth/token with email + password, POST /v1/auth/token/refresh."""

from django.urls import path
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import AllowAny
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from apps.common import lockout


class TokenView(TokenObtainPairView):
    """Guessing limits as on the portal login (apps.common.lockout): 429 + Retry-After while locked out."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def post(self, request, *args, **kwargs):
        email = request.data.get("email", "") if isinstance(request.data, dict) else ""
        checks = (
            (lockout.LOGIN_PER_ACCOUNT, str(email)),
            (lockout.LOGIN_PER_ADDRESS, lockout.client_address(request)),
        )
        wait = lockout.retry_after(*checks)
        if wait:
            raise Throttled(wait=wait)
        try:
            response = super().post(request, *args, **kwargs)
        except AuthenticationFailed:
            for limit, subject in checks:
                lockout.record_failure(limit, subject)
            raise
        lockout.clear(lockout.LOGIN_PER_ACCOUNT, str(email))
        return response


class RefreshView(TokenRefreshView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


urlpatterns = [
    path("token", TokenView.as_view(), name="token-obtain"),
    path("token/refresh", RefreshView.as_view(), name="token-refresh"),
]
