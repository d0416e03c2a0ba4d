"""The nl studio page shows the meter parser's rejections in Dutch (issue 19: no English in Dutch screens)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.studio import services

SAMPLES = Path(__file__).parents[1] / "studio" / "samples"


@pytest.mark.parametrize(
    ("sample", "dutch"),
    [
        ("homewizard_gas.csv", "Dit is een export van gasverbruik (m³), geen elektriciteit."),
        ("p1_telegram.txt", "Dit is één P1-telegram — één meterstand van 2025-01-14 09:35"),
    ],
)
def test_rejection_in_dutch_on_the_nl_page(owner_client, owner, sample, dutch):
    profile = services.profile_create(organization=owner.organization, name="Familie de Vries", year=2026)
    owner_client.cookies["django_language"] = "nl"
    upload = SimpleUploadedFile(sample, (SAMPLES / sample).read_bytes(), content_type="text/csv")
    response = owner_client.post(
        reverse("portal:studio_base_upload", args=[profile.pk]), {"file": upload}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 400
    errors = response.content.decode().split('id="meter-file-errors"')[1].split("</ul>")[0]
    assert dutch in errors, errors
    assert "not electricity" not in errors and "consumption history" not in errors
