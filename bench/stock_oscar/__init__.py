"""Stock django-oscar 4.2.1, no forks, no Wagtail: the baseline of bench/load.py (see settings.py)."""
