"""SyncRunSource.completed: whether the source ran to its end, recorded by the run itself.

Before, it was inferred from the run's error text (a failed run whose error had no line
``<source>: ...`` counted as completed for every source, even when it was interrupted,
lost its lock or failed to record its failure). Existing rows are filled in from what they
hold: a run that succeeded or ended partial completed its sources; of a failed run, a
source completed only when the run saved its final watermark for it and its error does
not name it (the final watermark is saved only when the source completes).
"""

import re

from django.db import migrations, models


def completed_from_history(apps, schema_editor):
    SyncRunSource = apps.get_model("syncer", "SyncRunSource")
    SyncRunSource.objects.filter(run__status__in=["succeeded", "partial"]).update(completed=True)
    failed = SyncRunSource.objects.filter(
        run__status="failed", watermark_after__isnull=False
    ).select_related("run")
    for result in failed.iterator():
        named = re.search(rf"(^|\n){re.escape(result.source)}: ", result.run.error or "")
        if not named:
            SyncRunSource.objects.filter(pk=result.pk).update(completed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("syncer", "0004_invalid_rows"),
    ]

    operations = [
        migrations.AddField(
            model_name="syncrunsource",
            name="completed",
            field=models.BooleanField(
                default=False,
                help_text="The source ran to its end in this run (its watermark counts), "
                "whatever became of the run's other sources.",
            ),
        ),
        migrations.RunPython(completed_from_history, migrations.RunPython.noop),
    ]
