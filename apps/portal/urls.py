from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.i18n import set_language

from apps.portal.forms import PortalPasswordResetForm
from apps.portal.views import (
    api_keys,
    auth,
    dashboard,
    dossiers,
    members,
    monitoring,
    organizations,
    proposals,
    scans,
    settings,
    share,
    studio,
    webhooks,
)
from apps.portal.views import devices as device_views

app_name = "portal"

auth_urlpatterns = [
    path(
        "login/",
        auth.ThrottledLoginView.as_view(
            template_name="portal/login.html",
            redirect_authenticated_user=True,
            next_page=reverse_lazy("portal:dashboard"),
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:login"), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PortalPasswordResetForm,
            template_name="registration/password_reset_form.html",
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            success_url=reverse_lazy("portal:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_reset_confirm.html",
            success_url=reverse_lazy("portal:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("language/", set_language, name="set_language"),
    path("organization/", organizations.switch_organization, name="switch_organization"),
]

dossier_urlpatterns = [
    path("dossiers/", dossiers.dossier_index, name="dossier_index"),
    path("dossiers/new/", dossiers.dossier_new, name="dossier_new"),
    path("dossiers/<str:pk>/", dossiers.dossier_detail, name="dossier_detail"),
    path("dossiers/<str:pk>/installed-system/", monitoring.installed_design, name="installed_design"),
    path("dossiers/<str:pk>/edit/", dossiers.dossier_edit, name="dossier_edit"),
    path("dossiers/<str:pk>/delete/", dossiers.dossier_remove, name="dossier_delete"),
]

scan_urlpatterns = [
    path("dossiers/<str:dossier_pk>/scans/new/", scans.scan_new, name="scan_new"),
    path("scans/<str:pk>/", scans.scan_detail, name="scan_detail"),
    path("scans/<str:pk>/status/", scans.scan_status, name="scan_status"),
    path("scans/<str:pk>/share/", scans.scan_share, name="scan_share"),
    path("scans/<str:pk>/unshare/", scans.scan_unshare, name="scan_unshare"),
    path("scans/<str:pk>/report.pdf", scans.scan_pdf, name="scan_pdf"),
    path("scans/<str:pk>/adjust/", scans.scan_adjust, name="scan_adjust"),
    path("scans/<str:pk>/compare/", scans.scan_compare, name="scan_compare"),
    path("scans/<str:pk>/proposals/new/", proposals.proposal_new, name="proposal_new"),
    path("proposals/<str:pk>/withdraw/", proposals.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<str:pk>/accepted.pdf", proposals.proposal_accepted_pdf, name="proposal_accepted_pdf"),
    # The homeowner's report: public, no login.
    path("s/<str:token>", share.share_page, name="share"),
    path("s/<str:token>/report.pdf", share.share_pdf, name="share_pdf"),
    path("s/<str:token>/logo", share.share_logo, name="share_logo"),
]

settings_urlpatterns = [
    path("settings/", settings.settings_overview, name="settings"),
    path("settings/members/", members.member_index, name="member_index"),
    path("settings/members/invite/", members.member_invite, name="member_invite"),
    path("settings/members/<int:pk>/", members.member_edit, name="member_edit"),
    path("settings/members/<int:pk>/remove/", members.member_remove, name="member_remove"),
    path("settings/api-keys/", api_keys.api_key_index, name="api_key_index"),
    path("settings/api-keys/new/", api_keys.api_key_new, name="api_key_new"),
    path("settings/api-keys/created/", api_keys.api_key_created, name="api_key_created"),
    path("settings/api-keys/<str:pk>/revoke/", api_keys.api_key_revoke_view, name="api_key_revoke"),
    path("settings/branding/", settings.branding, name="branding"),
    path("settings/webhooks/", webhooks.webhook_index, name="webhook_index"),
    path("settings/webhooks/new/", webhooks.webhook_new, name="webhook_new"),
    path("settings/webhooks/created/", webhooks.webhook_created, name="webhook_created"),
    path("settings/webhooks/<str:pk>/toggle/", webhooks.webhook_toggle, name="webhook_toggle"),
    path("settings/webhooks/<str:pk>/delete/", webhooks.webhook_remove, name="webhook_delete"),
    path(
        "settings/webhooks/deliveries/<str:pk>/replay/",
        webhooks.webhook_delivery_replay,
        name="webhook_delivery_replay",
    ),
]

studio_urlpatterns = [
    path("studio/", studio.studio_index, name="studio_index"),
    path("studio/new/", studio.studio_new, name="studio_new"),
    path("studio/<str:pk>/", studio.studio_detail, name="studio_detail"),
    path("studio/<str:pk>/chart/", studio.studio_chart, name="studio_chart"),
    path("studio/<str:pk>/rename/", studio.studio_rename, name="studio_rename"),
    path("studio/<str:pk>/duplicate/", studio.studio_duplicate, name="studio_duplicate"),
    path("studio/<str:pk>/delete/", studio.studio_delete, name="studio_delete"),
    path("studio/<str:pk>/base/template/", studio.studio_base_template, name="studio_base_template"),
    path("studio/<str:pk>/base/upload/", studio.studio_base_upload, name="studio_base_upload"),
    path("studio/<str:pk>/layers/add/", studio.studio_layer_add, name="studio_layer_add"),
    path("studio/<str:pk>/layers/<str:layer_id>/", studio.studio_layer_edit, name="studio_layer_edit"),
    path(
        "studio/<str:pk>/layers/<str:layer_id>/toggle/",
        studio.studio_layer_toggle,
        name="studio_layer_toggle",
    ),
    path(
        "studio/<str:pk>/layers/<str:layer_id>/remove/",
        studio.studio_layer_remove,
        name="studio_layer_remove",
    ),
    path("studio/<str:pk>/export.csv", studio.studio_export_csv, name="studio_export_csv"),
]

device_urlpatterns = [
    path("dossiers/<str:dossier_pk>/devices/", device_views.device_link_index, name="device_link_index"),
    path("dossiers/<str:dossier_pk>/devices/new/", device_views.device_link_new, name="device_link_new"),
    path(
        "dossiers/<str:dossier_pk>/devices/facts.json",
        device_views.dossier_device_facts_json,
        name="dossier_device_facts_json",
    ),
    path("device-links/<str:pk>/", device_views.device_link_detail, name="device_link_detail"),
    path("device-links/<str:pk>/sync/", device_views.device_link_sync, name="device_link_sync"),
    path("device-links/<str:pk>/restart/", device_views.device_link_restart, name="device_link_restart"),
    path(
        "device-links/<str:pk>/studio-profile/",
        device_views.device_link_studio_profile,
        name="device_link_studio_profile",
    ),
    path("device-links/<str:pk>/delete/", device_views.device_link_delete, name="device_link_delete"),
]

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    *auth_urlpatterns,
    *dossier_urlpatterns,
    *device_urlpatterns,
    *scan_urlpatterns,
    *settings_urlpatterns,
    *studio_urlpatterns,
]
