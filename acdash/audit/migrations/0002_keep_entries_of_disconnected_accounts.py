"""Audit entries outlive their account: each keeps the account's name and slug, and the
link to the account is emptied (not cascaded) when the account is disconnected."""

import django.db.models.deletion
from django.db import migrations, models


def backfill_account_names(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ConnectedAccount = apps.get_model("accounts", "ConnectedAccount")
    for account in ConnectedAccount.objects.all().only("pk", "name", "slug"):
        AuditEntry.objects.filter(account=account).update(
            account_name=account.name, account_slug=account.slug
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="account_name",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="account_slug",
            field=models.SlugField(default="", db_index=True),
            preserve_default=False,
        ),
        migrations.RunPython(backfill_account_names, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditentry",
            name="account",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="audit_entries",
                to="accounts.connectedaccount",
            ),
        ),
    ]
