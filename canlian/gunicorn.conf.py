"""gunicorn's settings for `make serve` (the production server), each from the environment.

GUNICORN_BIND      where to listen (default 127.0.0.1:8000; a proxy in front terminates TLS)
WEB_CONCURRENCY    worker processes (gunicorn's own variable; default 2 × cores + 1)
GUNICORN_THREADS   threads per worker (default 4)
GUNICORN_TIMEOUT   seconds a request may take before its worker is restarted (default 120:
                   a list export past CANLIAN_EXPORT_JOB_ROWS rows is a background job, so
                   no request needs more)
FORWARDED_ALLOW_IPS  the proxies whose X-Forwarded-* headers are believed (default 127.0.0.1)
"""

import multiprocessing
import os

wsgi_app = "canlian.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# A worker is replaced after so many requests (a slow leak never grows for long).
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
