"""``python -m analytics.bench``: runs the engine benchmark, scripts/bench_engine.py.

The benchmark and its pandas cross-check are not part of the product, so
they live in scripts/; this launcher keeps the documented command (and
``make bench``) working from a checkout of the project.
"""

import runpy
from pathlib import Path

if __name__ == "__main__":
    runpy.run_path(str(Path(__file__).resolve().parent.parent / "scripts" / "bench_engine.py"), run_name="__main__")
