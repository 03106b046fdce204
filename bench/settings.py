"""Settings for the load benchmark (bench/load.py): the production settings plus a bench-only URLconf.

``marketplace.settings`` has no environment hook for ROOT_URLCONF, so this module imports it whole and
only swaps the URLconf for ``bench.urls`` (the shop's URLs + ``/bench/trivial/``). Production URLs are
unchanged: only DJANGO_SETTINGS_MODULE=bench.settings, set by bench/load.py, serves the trivial view.
"""
from marketplace.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"

#: Collected static files of the bench run (manifest + compressed, DEBUG=False) kept out of the
#: development tree's staticfiles/.
STATIC_ROOT = BASE_DIR / "bench" / "results" / "static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
