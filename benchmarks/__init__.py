"""Benchmarks (scripts in this folder). Also a Django app under ``benchmarks.bench_settings`` only:
it adds the Wagtail-searchable view of the index rows used for the stock-search comparison."""
