"""Promoted results name their object as the index does, (source, object id), instead of a
foreign key to kb's article pages: search no longer depends on the help centre's tables, and
any registered source's object can be pinned. Existing pins become ("article", "<page id>")."""

from django.db import migrations, models


def article_to_source(apps, schema_editor):
    PromotedResult = apps.get_model("search", "PromotedResult")
    for promo in PromotedResult.objects.all().only("pk", "article_id"):
        PromotedResult.objects.filter(pk=promo.pk).update(
            source="article", object_id=str(promo.article_id)
        )


def source_to_article(apps, schema_editor):
    PromotedResult = apps.get_model("search", "PromotedResult")
    # Only article pins can go back to a foreign key; the others have no place there.
    PromotedResult.objects.exclude(source="article").delete()
    for promo in PromotedResult.objects.all().only("pk", "object_id"):
        PromotedResult.objects.filter(pk=promo.pk).update(article_id=int(promo.object_id))


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_incremental_indexing"),
    ]

    operations = [
        migrations.AddField(
            model_name="promotedresult",
            name="source",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="promotedresult",
            name="object_id",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="promotedresult",
            name="article",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="kb.articlepage",
            ),
        ),
        migrations.RunPython(article_to_source, source_to_article),
        migrations.RemoveField(model_name="promotedresult", name="article"),
        migrations.AddIndex(
            model_name="promotedresult",
            index=models.Index(fields=["locale", "query"], name="search_promoted_query"),
        ),
    ]
