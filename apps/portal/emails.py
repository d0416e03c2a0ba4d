"""E-mails the portal sends: the invitation (a set-password link from the password-reset flow)."""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def invite_send(*, request, user, organization, invited_by) -> None:
    """New users get a link to choose their password; existing users a link to log in."""
    if user.has_usable_password():
        link = request.build_absolute_uri(reverse("portal:login"))
    else:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = request.build_absolute_uri(
            reverse("portal:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        )
    context = {
        "organization": organization,
        "invited_by": invited_by,
        "link": link,
        "needs_password": not user.has_usable_password(),
    }
    subject = render_to_string("portal/emails/invite_subject.txt", context).strip()
    body = render_to_string("portal/emails/invite.txt", context)
    send_mail(subject, body, None, [user.email])
