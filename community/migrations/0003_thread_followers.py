"""Members follow threads (``Follow``); every existing asker follows their own question, as
new askers do from now on (community.actions.ask_question)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def askers_follow(apps, schema_editor):
    Question = apps.get_model("community", "Question")
    Follow = apps.get_model("community", "Follow")
    Follow.objects.bulk_create(
        [Follow(user_id=q.author_id, question_id=q.pk) for q in Question.objects.only("author")],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0002_grant_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Follow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follows",
                        to="community.question",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="community_follows",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "question"), name="community_one_follow"
                    )
                ],
            },
        ),
        migrations.RunPython(askers_follow, migrations.RunPython.noop),
    ]
