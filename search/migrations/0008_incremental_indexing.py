"""Incremental indexing (issue 18): vocabulary counts kept by delta (signed, see SearchTerm), the
indexing queue, and the per-language vector graphs handed over to ``search.languages``.

The English and Spanish graphs (0004) stay in the database; only the model stops describing
them, because which graphs exist now follows ``settings.LANGUAGES``: ``ensure_languages`` runs
after every ``migrate`` (and as ``manage.py search_languages``) and creates a missing one.
"""

from django.db import migrations, models


def ensure_languages(apps, schema_editor):
    from search.languages import ensure_languages

    ensure_languages(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_cross_lingual_vectors"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="searchdocument", name="search_doc_embedding_en"),
                migrations.RemoveIndex(model_name="searchdocument", name="search_doc_embedding_es"),
            ],
        ),
        migrations.AlterField(
            model_name="searchterm",
            name="documents",
            field=models.IntegerField(default=0),
        ),
        migrations.CreateModel(
            name="IndexQueue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("index_name", models.CharField(default="default", max_length=64)),
                ("page_id", models.IntegerField()),
                ("subtree", models.BooleanField(default=False)),
                ("queued_at", models.DateTimeField()),
                ("claimed_until", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("index_name", "page_id"), name="search_queue_one_row"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="IndexQueueTask",
            fields=[
                ("index_name", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("enqueued_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(ensure_languages, migrations.RunPython.noop, elidable=True),
    ]
