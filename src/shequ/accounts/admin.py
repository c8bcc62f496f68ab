from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from shequ.accounts.models import Grant, User


class GrantInline(admin.TabularInline):
    model = Grant
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [GrantInline]
    list_display = ["username", "display_name", "is_active", "last_login"]
