"""Time to export every event of a store to Parquet (and optionally the other formats).

.venv/bin/python bench/export_speed.py --db /tmp/bench.db [--format parquet]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from eventdesk.export import ExportFormat, export
from eventdesk.store import Store
from eventdesk.store.query import EventFilter


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--format", default="parquet", choices=[f.value for f in ExportFormat])
    args = ap.parse_args()
    store = Store(args.db)
    with tempfile.TemporaryDirectory() as tmp, store.session() as s:
        out = Path(tmp) / f"events.{args.format}"
        t0 = time.perf_counter()
        n = export(s, EventFilter(), ExportFormat(args.format), out)
        secs = time.perf_counter() - t0
        size = out.stat().st_size
    print(f"db: {args.db.split('@')[-1]}")
    print(f"{n:,} events to {args.format} in {secs:.1f} s ({n / secs:,.0f} events/s, {size / 1e6:.0f} MB)")
    if args.format == "parquet":
        print(f"goal <= 60 s: {'met' if secs <= 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
