"""The portal login with the guessing limits of apps.common.lockout: 429 + Retry-After while an account or
address is locked out, without trying the password."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from apps.common import lockout


class ThrottledLoginView(auth_views.LoginView):
    def _checks(self) -> tuple[tuple[lockout.Limit, str], ...]:
        return (
            (lockout.LOGIN_PER_ACCOUNT, self.request.POST.get("username", "")),
            (lockout.LOGIN_PER_ADDRESS, lockout.client_address(self.request)),
        )

    def post(self, request, *args, **kwargs):
        wait = lockout.retry_after(*self._checks())
        if wait:
            # An unbound form: a bound one would try the password when the template reads its errors.
            context = self.get_context_data(
                form=AuthenticationForm(request), locked_out_minutes=-(-wait // 60)
            )
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        for limit, subject in self._checks():
            lockout.record_failure(limit, subject)
        return super().form_invalid(form)

    def form_valid(self, form):
        lockout.clear(lockout.LOGIN_PER_ACCOUNT, self.request.POST.get("username", ""))
        return super().form_valid(form)
