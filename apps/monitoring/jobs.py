"""Monitoring actors: thin wrappers around services. Messages carry only ids."""

import dramatiq

from apps.dossiers.models import Dossier
from apps.monitoring import services
from apps.monitoring.emails import alert_mail_send


@dramatiq.actor(queue_name="default", max_retries=3)
def refresh_performance(dossier_id: str) -> None:
    dossier = Dossier.objects.filter(pk=dossier_id).first()
    if dossier is not None:  # deleted meanwhile: nothing to do
        services.performance_refresh(dossier=dossier)


@dramatiq.actor(queue_name="default", max_retries=5)
def mail_alert(alert_id: str) -> None:
    alert_mail_send(alert_id=alert_id)
