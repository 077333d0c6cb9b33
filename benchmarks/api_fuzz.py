"""Nightly-sized schema fuzzing: tests/test_api_fuzz.py (schemathesis over /api/v1/schema/, through
the Django WSGI app on a real PostgreSQL test database) with many more examples per operation,
then the figures: calls per operation and status, server errors, failures, time.

    FARO_PGDATA=.data/pg-fuzz .venv/bin/python benchmarks/api_fuzz.py --examples 200

Exit status is pytest's: non-zero when any check failed (a 500, an undocumented status code or a
response that does not match the schema). The CI-sized run is the plain test (8 examples).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(examples: int, report: Path, extra: list[str]) -> int:
    env = {**os.environ, "FARO_FUZZ_EXAMPLES": str(examples), "FARO_FUZZ_REPORT": str(report)}
    command = [sys.executable, "-m", "pytest", "tests/test_api_fuzz.py", "-q",
               "-p", "no:cacheprovider", *extra]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def print_figures(report: Path, code: int) -> None:
    if not report.exists():
        print("No report was written (the run failed before the fuzzer started).")
        return
    data = json.loads(report.read_text(encoding="utf-8"))
    by_operation: dict[str, dict[int, int]] = defaultdict(dict)
    for row in data["calls"]:
        by_operation[row["operation"]][row["status"]] = row["count"]
    total = sum(row["count"] for row in data["calls"])
    errors = sum(row["count"] for row in data["calls"] if row["status"] >= 500)
    print(f"\n{'operation':<58} calls  statuses")
    for operation in sorted(by_operation):
        statuses = by_operation[operation]
        shown = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        print(f"{operation:<58} {sum(statuses.values()):>5}  {shown}")
    print(
        f"\n{len(by_operation)} operations, {total} calls ({data['examples']} examples each at "
        f"most), {errors} server errors, {data['seconds']:.0f} s; checks "
        f"{'passed' if code == 0 else 'FAILED (see above)'}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=200, help="examples per operation")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (e.g. -x)")
    args = parser.parse_args()
    if Path(os.environ.get("FARO_PGDATA", ".data/pg")).resolve() == (ROOT / ".data" / "pg"):
        sys.exit("Set FARO_PGDATA to a folder other than the demo's .data/pg")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "fuzz.json"
        code = run(args.examples, report, args.pytest_args)
        print_figures(report, code)
    sys.exit(code)


if __name__ == "__main__":
    main()
