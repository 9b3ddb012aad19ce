"""Accent-free search over the normalized text, and the reference list of fields.

On PostgreSQL: the pg_trgm extension and a GIN trigram index on `search_text`, which serves
both `LIKE '%term%'` searches and the similarity suggestions. SQLite (the embedded `make run`
default) gets neither; search there is a plain scan, fine for demo sizes.
"""

from django.db import migrations

FIELDS = [
    ("kinh-te-xa-hoi", "Phát triển kinh tế - xã hội", 1),
    ("quoc-phong-an-ninh", "Quốc phòng - an ninh", 2),
    ("xay-dung-dang", "Xây dựng Đảng và hệ thống chính trị", 3),
    ("tam-tu-nguyen-vong", "Tâm tư, nguyện vọng của Nhân dân", 4),
    ("dat-dai-moi-truong", "Đất đai, tài nguyên, môi trường", 5),
    ("ha-tang-giao-thong", "Hạ tầng, giao thông, xây dựng", 6),
    ("van-hoa-giao-duc-y-te", "Văn hóa, giáo dục, y tế", 7),
    ("chinh-sach-can-bo", "Chế độ, chính sách đối với cán bộ cơ sở", 8),
    ("khac", "Lĩnh vực khác", 99),
]


def add_fields(apps, schema_editor):
    Field = apps.get_model("submissions", "Field")
    for code, name, order in FIELDS:
        Field.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def postgres_only(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("submissions", "0001_initial")]

    operations = [
        migrations.RunPython(postgres_only("CREATE EXTENSION IF NOT EXISTS pg_trgm"), migrations.RunPython.noop),
        migrations.RunPython(
            postgres_only(
                "CREATE INDEX IF NOT EXISTS submission_search_trgm ON submissions_submission "
                "USING gin (search_text gin_trgm_ops)"
            ),
            postgres_only("DROP INDEX IF EXISTS submission_search_trgm"),
        ),
        migrations.RunPython(add_fields, migrations.RunPython.noop),
    ]
