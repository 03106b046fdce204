"""Sellers lose Oscar's dashboard permission: it let them edit products without moderation.

Staff keep the dashboard (they do not need the permission); the seller workspace is /ban-hang/.
"""
from django.db import migrations


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("auth", "User")
    permission = Permission.objects.filter(content_type__app_label="partner", codename="dashboard_access").first()
    if permission is None:
        return
    through = User.user_permissions.through
    through.objects.filter(permission=permission, user__is_staff=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0004_vendor_logo"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("partner", "0001_initial"),
    ]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
