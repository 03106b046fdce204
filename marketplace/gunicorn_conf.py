"""gunicorn settings for the web role: ``gunicorn -c python:marketplace.gunicorn_conf marketplace.wsgi``.

With PROMETHEUS_MULTIPROC_DIR set, every worker writes its metrics there and one scrape sums them; the
folder is emptied when the master starts (a restart must not add old counts) and a dead worker's live
gauges are dropped. The address, workers and timeout come from the environment (GUNICORN_* names).
"""
import os
import shutil

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = None  # the site writes its own access line (JSON, with the request id; marketplace/logs.py)
#: gunicorn's control socket lives at one path per user (~/.gunicorn/gunicorn.ctl): two masters on one
#: machine (two nodes, a release beside the old one) would take it from each other. Nothing here uses it.
control_socket_disable = True


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
