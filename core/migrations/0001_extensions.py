from django.contrib.postgres.operations import CreateExtension, TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """The extensions search needs, created here so every later migration can rely on them."""

    initial = True
    dependencies = []

    operations = [
        CreateExtension("vector"),
        TrigramExtension(),
        UnaccentExtension(),
    ]
