from django.contrib import admin

from apps.dossiers.models import Dossier


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ("customer_name", "reference", "organization", "address", "created_at")
    list_filter = ("organization",)
    search_fields = ("customer_name", "reference", "address", "id")
    list_select_related = ("organization",)
    date_hierarchy = "created_at"
