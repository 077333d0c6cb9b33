# The hash of what was sent with an idempotency key: the same key with other content is a 409.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0002_supportrequest_verified_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportrequest",
            name="payload_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
