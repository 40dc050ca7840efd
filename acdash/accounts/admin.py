from django.contrib import admin

from .models import ConnectedAccount, Membership


@admin.register(ConnectedAccount)
class ConnectedAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "api_url", "token_last4", "last_success_at", "last_error_at"]
    # The token is never shown or edited here: use the connect form, which verifies it.
    exclude = ["token_encrypted"]
    readonly_fields = ["token_last4", "last_success_at", "last_error_at", "last_error"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "account", "role"]
    list_filter = ["role", "account"]
