"""Studio profile editor pages: render, base from a template or a meter file, layers, charts, CSV, isolation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.studio import services
from apps.studio.layers import EV
from apps.studio.models import StudioProfile
from tests.portal.helpers import generic_meter_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The assertions read English text; the Dutch test asks for Dutch explicitly."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def profile(owner):
    return services.profile_create(organization=owner.organization, name="Familie de Vries", year=2026)


@pytest.fixture
def based(profile):
    return services.base_set_template(profile=profile, template_id="stel")


@pytest.fixture
def ev_layer(based):
    return services.layer_add(profile=based, preset_id="ev")


DAILY_CSV = (
    "Vanaf;Tot;Verbruik laag tarief;Verbruik normaal tarief;Teruglevering laag tarief;Teruglevering normaal tarief\n"
    + "".join(f"{d:02d}-01-2025;{d + 1:02d}-01-2025;6,8;3,7;0,0;0,3\n" for d in range(1, 20))
).encode()


def _layer_post(layer, **overrides) -> dict:
    data = {"name": layer.name, "enabled": "on", "max_kw": "7"}
    for d in range(7):
        for m in range(12):
            data[f"s-{d}-{m}"] = "on"
    for h in range(24):
        data[f"h-{h}"] = "0"
    data.update(overrides)
    return data


def test_list_and_editor_pages_render(owner_client, based, ev_layer):
    response = owner_client.get(reverse("portal:studio_index"))
    assert response.status_code == 200
    assert "Familie de Vries" in response.content.decode()

    page = owner_client.get(reverse("portal:studio_detail", args=[based.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and "Stel" in body and ev_layer.name in body
    for view in ("week", "month", "year"):
        assert (
            owner_client.get(
                reverse("portal:studio_detail", args=[based.pk]), {"view": view, "index": 3}
            ).status_code
            == 200
        )
    for view in ("production", "export"):
        for sub in ("week", "month", "year"):
            response = owner_client.get(
                reverse("portal:studio_chart", args=[based.pk]), {"view": view, "sub": sub, "index": 1}
            )
            assert response.status_code == 200 and b"<svg" in response.content
    # out-of-range and nonsense parameters fall back instead of failing
    assert (
        owner_client.get(
            reverse("portal:studio_chart", args=[based.pk]), {"view": "week", "index": "99"}
        ).status_code
        == 200
    )
    assert (
        owner_client.get(
            reverse("portal:studio_chart", args=[based.pk]), {"view": "x", "index": "y"}
        ).status_code
        == 200
    )

    assert (
        owner_client.get(reverse("portal:studio_layer_edit", args=[based.pk, ev_layer.pk])).status_code == 200
    )
    assert (
        owner_client.get(reverse("portal:studio_layer_remove", args=[based.pk, ev_layer.pk])).status_code
        == 200
    )
    assert owner_client.get(reverse("portal:studio_delete", args=[based.pk])).status_code == 200


def test_empty_profile_editor_renders_without_charts(owner_client, profile):
    body = owner_client.get(reverse("portal:studio_detail", args=[profile.pk])).content.decode()
    assert "<svg" not in body.split('id="chart"')[1][:2000]
    assert reverse("portal:studio_base_upload", args=[profile.pk]) in body


def test_member_can_create_a_profile(member_client, member):
    response = member_client.post(reverse("portal:studio_new"), {"name": "Nieuw", "year": "2026"})
    profile = StudioProfile.objects.get(organization=member.organization, name="Nieuw")
    assert response.status_code == 302 and response.url == reverse("portal:studio_detail", args=[profile.pk])
    assert member_client.post(reverse("portal:studio_new"), {"year": "1800"}).status_code == 400


def test_template_base_sets_the_totals(owner_client, profile):
    response = owner_client.post(
        reverse("portal:studio_base_template", args=[profile.pk]),
        {"template_id": "groot-gezin", "annual_kwh": "6000"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.base_profile_name == "Groot gezin"
    assert profile.total_kwh == pytest.approx(6000, abs=0.05)
    assert profile.peak_kw > 0
    page = owner_client.get(reverse("portal:studio_detail", args=[profile.pk])).content.decode()
    assert "6,000" in page or "6.000" in page

    # default annual consumption when the field is empty; unknown template and bad numbers are refused
    owner_client.post(
        reverse("portal:studio_base_template", args=[profile.pk]), {"template_id": "stel", "annual_kwh": ""}
    )
    profile.refresh_from_db()
    assert profile.total_kwh == pytest.approx(3200, abs=0.05)
    bad = owner_client.post(
        reverse("portal:studio_base_template", args=[profile.pk]), {"template_id": "villa"}
    )
    assert bad.status_code == 400
    bad = owner_client.post(
        reverse("portal:studio_base_template", args=[profile.pk]), {"template_id": "stel", "annual_kwh": "-5"}
    )
    assert bad.status_code == 400
    profile.refresh_from_db()
    assert profile.total_kwh == pytest.approx(3200, abs=0.05)


def test_upload_generic_csv_sets_the_base_and_shows_the_report(owner_client, profile):
    upload = SimpleUploadedFile("meter.csv", generic_meter_csv(), content_type="text/csv")
    response = owner_client.post(reverse("portal:studio_base_upload", args=[profile.pk]), {"file": upload})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.base_profile_type == "upload" and profile.total_kwh > 0
    body = owner_client.get(reverse("portal:studio_detail", args=[profile.pk])).content.decode()
    assert "generic" in body and "2025-03-03" in body


def test_daily_file_is_rejected_in_words_and_changes_nothing(owner_client, based):
    before = (based.total_kwh, based.base_profile_name)
    upload = SimpleUploadedFile("dag.csv", DAILY_CSV, content_type="text/csv")
    response = owner_client.post(reverse("portal:studio_base_upload", args=[based.pk]), {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="meter-file-errors"' in body
    errors = body.split('id="meter-file-errors"')[1].split("</ul>")[0]
    assert "day" in errors.lower()
    based.refresh_from_db()
    assert (based.total_kwh, based.base_profile_name) == before
    # no file at all
    assert owner_client.post(reverse("portal:studio_base_upload", args=[based.pk])).status_code == 400


def test_add_edit_and_remove_a_layer(owner_client, based):
    total = based.total_kwh
    response = owner_client.post(
        reverse("portal:studio_layer_add", args=[based.pk]), {"preset_id": "warmtepomp"}
    )
    layer = based.layers.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:studio_layer_edit", args=[based.pk, layer.pk])
    based.refresh_from_db()
    assert based.layer_count == 1 and based.total_kwh > total

    post = _layer_post(layer, name="WP woonkamer", max_kw="2,5")
    for d in range(7):
        for m in range(4, 9):
            post.pop(f"s-{d}-{m}")  # off from May to September
    for h in range(24):
        post[f"h-{h}"] = "1,5"
    response = owner_client.post(reverse("portal:studio_layer_edit", args=[based.pk, layer.pk]), post)
    assert response.status_code == 302
    layer.refresh_from_db()
    assert layer.name == "WP woonkamer"
    assert layer.config["max_kw"] == 2.5
    assert layer.config["hourly_kw"] == [1.5] * 24
    assert layer.config["schedule"][0][5] is False and layer.config["schedule"][6][0] is True

    bad = _layer_post(layer, **{"h-3": "abc"})
    response = owner_client.post(reverse("portal:studio_layer_edit", args=[based.pk, layer.pk]), bad)
    assert response.status_code == 400 and "hour 3" in response.content.decode()

    response = owner_client.post(reverse("portal:studio_layer_remove", args=[based.pk, layer.pk]))
    assert response.status_code == 302
    based.refresh_from_db()
    assert based.layer_count == 0 and based.total_kwh == pytest.approx(total, abs=0.01)


def test_ev_and_solar_specific_fields(owner_client, based):
    owner_client.post(reverse("portal:studio_layer_add", args=[based.pk]), {"preset_id": "ev"})
    ev = based.layers.get(kind=EV)
    post = _layer_post(ev, **{"ev-count": "2", "ev-daily_consumption_kwh": "15", "ev-arrival_hour": "17"})
    assert (
        owner_client.post(reverse("portal:studio_layer_edit", args=[based.pk, ev.pk]), post).status_code
        == 302
    )
    ev.refresh_from_db()
    assert ev.config["ev_config"]["count"] == 2 and ev.config["ev_config"]["arrival_hour"] == 17
    # a second EV layer is refused with the service's message
    response = owner_client.post(reverse("portal:studio_layer_add", args=[based.pk]), {"preset_id": "ev"})
    assert response.status_code == 400 and "only one" in response.content.decode()

    owner_client.post(reverse("portal:studio_layer_add", args=[based.pk]), {"preset_id": "solar"})
    solar = based.layers.get(kind="solar")
    post = _layer_post(
        solar, **{"pv-panel_count": "12", "pv-panel_power_watts": "400", "pv-tilt": "30", "pv-azimuth": "180"}
    )
    assert (
        owner_client.post(reverse("portal:studio_layer_edit", args=[based.pk, solar.pk]), post).status_code
        == 302
    )
    solar.refresh_from_db()
    assert solar.config["solar_config"]["panel_count"] == 12
    based.refresh_from_db()
    assert based.has_solar_layer and based.total_export_kwh > 0
    page = owner_client.get(reverse("portal:studio_layer_edit", args=[based.pk, solar.pk]))
    assert page.status_code == 200 and 'name="pv-panel_count"' in page.content.decode()


def test_rename_duplicate_delete(owner_client, owner, based, ev_layer):
    assert (
        owner_client.post(
            reverse("portal:studio_rename", args=[based.pk]), {"name": "  Nieuwe naam "}
        ).status_code
        == 302
    )
    based.refresh_from_db()
    assert based.name == "Nieuwe naam"
    assert (
        owner_client.post(reverse("portal:studio_rename", args=[based.pk]), {"name": " "}).status_code == 400
    )

    response = owner_client.post(reverse("portal:studio_duplicate", args=[based.pk]))
    copy = StudioProfile.objects.exclude(pk=based.pk).get(organization=owner.organization)
    assert response.status_code == 302 and copy.name == "Nieuwe naam (kopie)" and copy.layers.count() == 1

    assert owner_client.post(reverse("portal:studio_delete", args=[copy.pk])).status_code == 302
    assert not StudioProfile.objects.filter(pk=copy.pk).exists()


def test_csv_export_has_8760_rows(owner_client, based, ev_layer):
    response = owner_client.get(reverse("portal:studio_export_csv", args=[based.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0] == "timestamp,consumption_kwh,export_kwh,production_kwh"
    assert len(lines) - 1 == 8760


def test_csv_export_without_base_is_404(owner_client, profile):
    assert owner_client.get(reverse("portal:studio_export_csv", args=[profile.pk])).status_code == 404


def test_outsider_gets_404_on_every_page(outsider_client, based, ev_layer):
    pk, lid = based.pk, ev_layer.pk
    gets = [
        ("studio_detail", [pk]),
        ("studio_chart", [pk]),
        ("studio_delete", [pk]),
        ("studio_export_csv", [pk]),
        ("studio_layer_edit", [pk, lid]),
        ("studio_layer_remove", [pk, lid]),
    ]
    posts = [
        ("studio_rename", [pk], {"name": "x"}),
        ("studio_duplicate", [pk], {}),
        ("studio_delete", [pk], {}),
        ("studio_base_template", [pk], {"template_id": "stel"}),
        ("studio_base_upload", [pk], {"file": SimpleUploadedFile("m.csv", generic_meter_csv())}),
        ("studio_layer_add", [pk], {"preset_id": "custom"}),
        ("studio_layer_edit", [pk, lid], _layer_post(ev_layer)),
        ("studio_layer_toggle", [pk, lid], {}),
        ("studio_layer_remove", [pk, lid], {}),
    ]
    for name, args in gets:
        assert outsider_client.get(reverse(f"portal:{name}", args=args)).status_code == 404, name
    for name, args, data in posts:
        assert outsider_client.post(reverse(f"portal:{name}", args=args), data).status_code == 404, name
    based.refresh_from_db()
    assert based.name == "Familie de Vries" and based.layers.count() == 1
    assert "Familie de Vries" not in outsider_client.get(reverse("portal:studio_index")).content.decode()


def test_layer_of_another_profile_is_404(owner_client, owner, based, ev_layer):
    other = services.profile_create(organization=owner.organization, name="Ander")
    assert (
        owner_client.get(reverse("portal:studio_layer_edit", args=[other.pk, ev_layer.pk])).status_code == 404
    )


def test_dossier_detail_links_to_the_studio(owner_client, dossier):
    body = owner_client.get(reverse("portal:dossier_detail", args=[dossier.pk])).content.decode()
    assert reverse("portal:studio_index") in body


def test_anonymous_is_sent_to_login(client, based):
    response = client.get(reverse("portal:studio_detail", args=[based.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_solar_layer_without_capacity_is_refused_in_words(owner_client, based):
    owner_client.post(reverse("portal:studio_layer_add", args=[based.pk]), {"preset_id": "solar"})
    solar = based.layers.get(kind="solar")
    post = _layer_post(solar, **{"pv-panel_count": "0", "pv-panel_power_watts": "0"})
    post["pv-system_capacity_kw"] = "0"
    response = owner_client.post(reverse("portal:studio_layer_edit", args=[based.pk, solar.pk]), post)
    assert response.status_code == 400
    assert "Solar panels: Total capacity must be above 0 kWp." in response.content.decode()


def test_editor_in_dutch(owner_client, based, ev_layer):
    owner_client.cookies["django_language"] = "nl"
    body = owner_client.get(
        reverse("portal:studio_detail", args=[based.pk]), HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Basisprofiel" in body and "Laag toevoegen" in body and "Grafieken" in body
    body = owner_client.get(
        reverse("portal:studio_layer_edit", args=[based.pk, ev_layer.pk])
    ).content.decode()
    assert "Rijdagen" in body and "Aantal auto" in body


def test_chart_partial_links_for_the_script(owner_client, based):
    body = owner_client.get(
        reverse("portal:studio_chart", args=[based.pk]), {"view": "week", "index": 0}
    ).content.decode()
    assert "data-studio-chart" in body and 'rel="next"' in body and 'rel="prev"' not in body
    assert f"{reverse('portal:studio_chart', args=[based.pk])}?view=week&amp;sub=year&amp;index=1" in body


def test_toggle_a_layer_off_and_on(owner_client, based, ev_layer):
    based.refresh_from_db()
    with_ev = based.total_kwh
    url = reverse("portal:studio_layer_toggle", args=[based.pk, ev_layer.pk])
    assert owner_client.post(url).status_code == 302
    based.refresh_from_db()
    ev_layer.refresh_from_db()
    assert not ev_layer.enabled and based.total_kwh < with_ev
    owner_client.post(url)
    based.refresh_from_db()
    assert based.total_kwh == pytest.approx(with_ev, abs=0.01)
