"""The alert e-mail to the organization's owners and admins: raised (by how much, since when) or cleared.
Sent by a job after the refresh commits; re-sending after a retry is harmless (it says the same)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from apps.monitoring.models import PerformanceAlert
from apps.organizations.models import Membership

MAIL_ROLES = (Membership.Role.OWNER, Membership.Role.ADMIN)


def _recipients(alert: PerformanceAlert) -> list[str]:
    return list(
        Membership.objects.filter(organization=alert.organization, role__in=MAIL_ROLES)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def alert_mail_send(*, alert_id: str) -> bool:
    """Mail the alert's current state; False when there is no one to tell (or no such alert)."""
    alert = PerformanceAlert.objects.select_related("organization", "dossier").filter(pk=alert_id).first()
    recipients = _recipients(alert) if alert is not None else []
    if not recipients:
        return False
    context = {
        "alert": alert,
        "dossier": alert.dossier,
        "organization": alert.organization,
    }
    subject = " ".join(render_to_string("monitoring/emails/alert_subject.txt", context).split())
    body = render_to_string("monitoring/emails/alert.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients).send()
    return True
