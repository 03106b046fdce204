"""The operators' `.env.example` names every setting the code reads from the environment (issue 18):
a setting missing there is one nobody deploying the image knows exists."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Read by the test runner and the development server only; the example says so in its last line.
DEVELOPMENT_ONLY = {"SQLITE_TIMEOUT", "TESTING", "TEST_DB_FILE"}


def test_env_example_lists_every_setting_read_from_the_environment():
    settings = (ROOT / "marketplace" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z_0-9]+)"', settings))
    assert len(read) > 50  # the pattern still finds the settings
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z][A-Z_0-9]+)=", example, re.M))
    assert sorted(read - listed - DEVELOPMENT_ONLY) == []
    for name in DEVELOPMENT_ONLY:
        assert name in example
