"""Accent-free search of assignments: the folded `search_text` column, filled for existing
rows, and on PostgreSQL a GIN trigram index that serves `LIKE '%term%'`."""

from django.db import migrations, models

from dialogue.text import search_key


def fill(apps, schema_editor):
    Assignment = apps.get_model("conclusions", "Assignment")
    for assignment in Assignment.objects.select_related("lead_agency").iterator():
        assignment.search_text = search_key(
            f"{assignment.text} {assignment.output_detail} {assignment.lead_agency.name}"
        )
        assignment.save(update_fields=["search_text"])


def postgres_only(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("conclusions", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(
            postgres_only(
                "CREATE INDEX IF NOT EXISTS assignment_search_trgm ON conclusions_assignment "
                "USING gin (search_text gin_trgm_ops)"
            ),
            postgres_only("DROP INDEX IF EXISTS assignment_search_trgm"),
        ),
    ]
