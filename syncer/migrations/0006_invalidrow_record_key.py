"""InvalidRow is unique on (source, sha256 of record_id): a btree entry holds at most
~2,700 bytes, and the unique index on record_id refused a long id, failing the run."""

import hashlib

from django.db import migrations, models


def keys_fill(apps, schema_editor):
    InvalidRow = apps.get_model("syncer", "InvalidRow")
    for row in InvalidRow.objects.only("pk", "record_id").iterator():
        key = hashlib.sha256(row.record_id.encode("utf-8", "surrogatepass")).hexdigest()
        InvalidRow.objects.filter(pk=row.pk).update(record_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("syncer", "0005_syncrunsource_completed"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="invalidrow", name="invalidrow_unique"),
        migrations.AddField(
            model_name="invalidrow",
            name="record_key",
            field=models.CharField(
                default="",
                editable=False,
                help_text="sha256 of record_id (hex), unique per source.",
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(keys_fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="invalidrow",
            constraint=models.UniqueConstraint(
                fields=("source", "record_key"), name="invalidrow_key_unique"
            ),
        ),
    ]
