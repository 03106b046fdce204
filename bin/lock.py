"""Regenerate requirements.lock and requirements-test.lock from pip's resolver report (used by `make lock`)."""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HEADER = "# Generated from {} by `make lock` (pip's resolver report). Do not edit by hand.\n"


def resolve(*requirement_files):
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        args = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "-q", "--report", str(report)]
        for name in requirement_files:
            args += ["-r", name]
        done = subprocess.run(args, capture_output=True, text=True)
        noise = "is ignored: it is neither a file nor a directory"
        sys.stderr.write("".join(line + "\n" for line in done.stderr.splitlines() if noise not in line))
        done.check_returncode()
        data = json.loads(report.read_text())
    return {item["metadata"]["name"].lower(): item["metadata"]["version"] for item in data["install"]}


def main():
    runtime = resolve("requirements.in")
    everything = resolve("requirements.in", "requirements-test.in")
    Path("requirements.lock").write_text(
        HEADER.format("requirements.in") + "".join(f"{k}=={v}\n" for k, v in sorted(runtime.items()))
    )
    extra = {k: v for k, v in everything.items() if k not in runtime}
    Path("requirements-test.lock").write_text(
        HEADER.format("requirements-test.in") + "-r requirements.lock\n"
        + "".join(f"{k}=={v}\n" for k, v in sorted(extra.items()))
    )
    print(f"requirements.lock: {len(runtime)} packages; requirements-test.lock: {len(extra)} more")


if __name__ == "__main__":
    main()
