from django.contrib.postgres.operations import CreateExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Edit distance for "did you mean": trigrams miss swapped letters ("refnud" → "refund")."""

    dependencies = [("core", "0002_initial")]
    operations = [CreateExtension("fuzzystrmatch")]
