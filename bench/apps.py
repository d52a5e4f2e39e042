from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks (``manage.py bench_import``): they read across the apps they measure,
    so they sit above all of them and no app depends on them."""

    name = "bench"
    verbose_name = "canlian benchmarks"
