from django.db import migrations

# Per-language text search configurations that ignore accents: "facturacion" finds "facturación".
CONFIGS = {"faro_en": "english_stem", "faro_es": "spanish_stem", "faro_simple": "simple"}

CREATE = "\n".join(
    f"""
    DROP TEXT SEARCH CONFIGURATION IF EXISTS {name};
    CREATE TEXT SEARCH CONFIGURATION {name} (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION {name}
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary};
    ALTER TEXT SEARCH CONFIGURATION {name}
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH {dictionary};
    """
    for name, dictionary in CONFIGS.items()
)
DROP = "\n".join(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name};" for name in CONFIGS)


class Migration(migrations.Migration):
    initial = True
    dependencies = [("core", "0001_extensions")]
    operations = [migrations.RunSQL(CREATE, DROP)]
