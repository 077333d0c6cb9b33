from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0002_grant_permissions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="tuninglog",
            name="kind",
            field=models.CharField(
                choices=[
                    ("pin", "Pinned a result"),
                    ("synonym", "Added a synonym"),
                    ("wrong", "Marked a result wrong"),
                    ("draft", "Created an article draft"),
                    ("unpin", "Removed a pinned result"),
                    ("unsynonym", "Removed a synonym"),
                ],
                max_length=10,
            ),
        ),
    ]
