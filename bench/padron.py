"""Padrón benchmark: a synthetic full-size SUNAT file (18.3 M lines, real format, zipped like SUNAT's), then
import time and peak memory, size on disk, one lookup, 100,000 batch lookups and name searches.

    .venv/bin/python bench/padron.py [--lines 18300000] [--work /tmp/padron_bench]

The ZIP is generated once and kept in --work (about 0.4 GB; the text inside is ~1.6 GB and never touches
the disk). The import runs in a child process so its peak RSS is the importer's alone.
Targets: import ≤ 180 s and ≤ 500 MB RSS; store ≤ 1.5 GB; 100,000 batch lookups ≤ 1 s; one lookup ≤ 5 ms;
a name search ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from padron_synth import write_zip  # noqa: E402

from migo_desktop.core.padron import PadronStore, Progress, import_padron, to_result  # noqa: E402

SEARCHES = [
    "garcia chanco carlos",  # a person, full words
    "quispe mamani rosa",
    "corporacion inversiones",  # two common company words
    "corp andina",  # prefixes, as while typing
    "nuñez peña",  # accents
    "huaman",  # one common surname
    "g",  # the first key typed
]


def _import_child(zip_path: Path, db: Path) -> None:
    phases: dict[str, float] = {}
    started = time.monotonic()

    def progress(p: Progress) -> None:
        phases.setdefault(p.phase, time.monotonic() - started)

    report = import_padron(zip_path, PadronStore(db), on_progress=progress)
    total = time.monotonic() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    out = {
        "seconds": round(total, 1),
        "index_started_at": round(phases.get("indice", 0.0), 1),
        "rss_mb": round(rss_mb),
        "cpu_user": round(cpu.ru_utime, 1),
        "cpu_sys": round(cpu.ru_stime, 1),
        "report": {k: v for k, v in report.as_dict().items() if k != "examples"},
    }
    print(json.dumps(out))


def _sample_rucs(store: PadronStore, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    conn = store._open()  # bench only: reach the connection to pick existing RUCs quickly
    assert conn is not None
    out: list[str] = []
    for _ in range(count):
        start = rng.choice((10, 10, 10, 10, 20, 15, 17)) * 10**9 + rng.randrange(10**9)
        row = conn.execute("SELECT ruc FROM contribuyente WHERE ruc >= ? LIMIT 1", (start,)).fetchone()
        if row:
            out.append(str(row[0]))
    return out


def _measure(db: Path) -> dict[str, object]:
    store = PadronStore(db)
    info = store.info()
    assert info is not None
    rucs = _sample_rucs(store, 101_000, 7)
    missing = [str(int(r) + 1) for r in rucs[:5000]]  # mostly not registered
    one: list[float] = []
    for ruc in rucs[100_000:101_000]:
        t = time.perf_counter()
        record = store.lookup(ruc)
        to_result(record, info.fecha) if record else None
        one.append((time.perf_counter() - t) * 1000)
    batch_input = rucs[:95_000] + missing
    t = time.perf_counter()
    found = store.lookup_many(batch_input)
    batch_s = time.perf_counter() - t
    t = time.perf_counter()
    results = [to_result(r, info.fecha) for r in found.values()]
    convert_s = time.perf_counter() - t
    searches: dict[str, dict[str, object]] = {}
    for text in SEARCHES:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            res = store.search(text)
            times.append((time.perf_counter() - t) * 1000)
        searches[text] = {
            "ms_median": round(statistics.median(times), 1),
            "ms_max": round(max(times), 1),
            "candidates": res.candidates,
            "truncated": res.truncated,
            "first": res.records[0].nombre if res.records else None,
        }
    return {
        "store_mb": round(db.stat().st_size / 1e6),
        "registros": info.registros,
        "one_lookup_ms_median": round(statistics.median(one), 3),
        "one_lookup_ms_p99": round(sorted(one)[int(len(one) * 0.99)], 3),
        "batch_100k_s": round(batch_s, 3),
        "batch_found": len(found),
        "batch_to_results_s": round(convert_s, 3),
        "results": len(results),
        "searches": searches,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=18_300_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/padron_bench"))
    parser.add_argument("--import-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure-only", action="store_true", help="reuse the store of the last run")
    args = parser.parse_args()
    if args.import_child:
        _import_child(*args.import_child)
        return
    zip_path = args.work / f"padron_reducido_ruc_{args.lines}.zip"
    if not zip_path.exists():
        t = time.monotonic()
        size = write_zip(zip_path, args.lines)
        print(
            f"generated {zip_path} ({zip_path.stat().st_size / 1e6:.0f} MB zipped, "
            f"{size / 1e6:.0f} MB of text) "
            f"in {time.monotonic() - t:.0f} s",
            flush=True,
        )
    db = args.work / "data" / "padron.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    if not args.measure_only:
        child = subprocess.run(
            [sys.executable, __file__, "--import-child", str(zip_path), str(db)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        imported = json.loads(child.stdout.strip().splitlines()[-1])
        print("import:", json.dumps(imported, indent=1), flush=True)
    print("queries:", json.dumps(_measure(db), indent=1, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
