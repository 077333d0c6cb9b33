"""gunicorn settings for ``benchmarks/search_latency.py`` (bind, workers and timeout come from the
command line). Each worker loads the embedding model and opens its database connection before it
takes requests, as a production worker would be warm after its first requests."""

import os

accesslog = None
errorlog = "-"
loglevel = "warning"
worker_class = "sync"
graceful_timeout = 10


def post_worker_init(worker):
    from django.db import connection

    if os.environ.get("BENCH_TORCH_THREADS"):
        import torch

        torch.set_num_threads(int(os.environ["BENCH_TORCH_THREADS"]))

    from search.embedders import embedder_for

    embedder_for("en").embed_query("warm up the model")
    embedder_for("es").embed_query("calentar el modelo")
    connection.ensure_connection()
    ready = os.environ.get("BENCH_READY_DIR")
    if ready:  # the benchmark measures only once every worker has written its file
        open(os.path.join(ready, str(os.getpid())), "w").close()
