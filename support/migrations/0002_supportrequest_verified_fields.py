# Which of a request's shown fields (id, email, name) the host's signature covers (hosts/identity.py).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("support", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportrequest",
            name="verified_fields",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
