"""WSGI entry point; production servers set DJANGO_SETTINGS_MODULE=config.settings.production.

The search models load here, at import, unless ``FARO_PRELOAD_MODELS=0``: under
``gunicorn --preload`` that is the master process, so the weights, tokenizers and torch are
loaded once and shared by the forked workers (copy-on-write; docs/search_speed.md, "Memory"),
and no visitor's first search waits for a model to load.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

if os.environ.get("FARO_PRELOAD_MODELS", "1") != "0":
    from search.embedders import warm_up

    warm_up()
