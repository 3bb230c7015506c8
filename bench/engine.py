"""Bulk engine benchmarks; writes the "Motor" section of docs/benchmarks.md.

    .venv/bin/python bench/engine.py                 # everything (~15 minutes)
    .venv/bin/python bench/engine.py --quick         # smaller N, a smoke run (does not write the doc)
    .venv/bin/python bench/engine.py --only sweep,cpu

The fake API is the demo server over real HTTP in another process (tests/support/demo_server.py).
- sweep:  5,000 RUCs, concurrency 20, latency 50/150/300 ms: wall ÷ ideal N·L/C (targets ≤ 1.15× at 50 ms,
          ≤ 1.04× at 150 ms), the median of 3 rounds (--sweep-rounds), each round also timing MigoClient
          alone, raw aiohttp, and raw aiohttp with its starts spread like the engine's (the floor) against the
          same server; the engine with a client that only sleeps, for the engine's own share.
- cpu:    client CPU per request (this process's CPU time ÷ requests), zero latency: MigoClient as shipped
          (httpx + httpx-aiohttp), httpx with its own httpcore pool, and raw aiohttp (target ≤ 0.6 ms).
- faults: 3,000 RUCs at 5 ms with 5% 5xx, 1% resets, 0.5% requests never answered (app defaults: 20 s read
          timeout): wall ÷ (hung × read timeout ÷ C + the no-fault run) ≤ 1.5×, 0 ERROR, 0 answered twice,
          longest stretch without progress while rows were pending < 10 s; then with 3% isolated 429s
          (Retry-After 1 s) added: throughput ≥ 50% of the run without them.
- quota:  a per-second token bucket (429 + Retry-After, no headers): ≤ 1.05× the quota's time, ≤ 10% 429s;
          a Laravel fixed window with X-RateLimit headers: ≤ 1.05× the windows' time, ≤ 2% 429s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from stdnum.pe import ruc as stdnum_ruc  # noqa: E402

from migo_desktop.core.client import MigoClient  # noqa: E402
from migo_desktop.core.engine import BulkEngine  # noqa: E402
from migo_desktop.core.jobs import plan_from_values  # noqa: E402
from migo_desktop.core.models import IdKind, LookupResult, LookupStatus, Taxpayer  # noqa: E402
from migo_desktop.core.pacing import Pacer  # noqa: E402
from migo_desktop.core.retry import ClientStats  # noqa: E402
from migo_desktop.core.settings import DEMO_TOKEN, ApiSettings  # noqa: E402
from migo_desktop.core.store import Store  # noqa: E402
from migo_desktop.demo import demo_settings  # noqa: E402
from tests.support.harness import fetch_stats, reset_stats, server_process  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
C = 20


def rucs(n: int, start: int) -> list[str]:
    out = []
    for i in range(start, start + n):
        base = "20" + f"{i:08d}"
        out.append(base + stdnum_ruc.calc_check_digit(base))
    return out


def http_settings(base_url: str, **kw: Any) -> ApiSettings:
    return ApiSettings(token=DEMO_TOKEN, base_url=base_url, concurrency=C, **kw)


@dataclass
class Run:
    wall: float
    summary: Any
    timeline: list[tuple[float, int, int, int]] = field(default_factory=list)  # (t, done, pending, in flight)

    def stall(self, *, waiting_only: bool = True) -> float:
        """Longest stretch (s) in which no row was finished while rows were pending — by default only while
        some pending row was *waiting* (not every one of them already in flight, e.g. hung at the end)."""
        worst, since, last_done = 0.0, None, -1
        for t, done, pending, in_flight in self.timeline:
            idle = pending == 0 or (waiting_only and pending <= in_flight)
            if idle:
                since, last_done = None, done
            elif done != last_done or since is None:
                since, last_done = t, done
            else:
                worst = max(worst, t - since)
        return worst


async def engine_run(settings: ApiSettings, numbers: list[str], client: Any = None) -> Run:
    timeline: list[tuple[float, int, int, int]] = []
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.sqlite3") as store:
        job_id = await asyncio.to_thread(store.create_job, plan_from_values(numbers), settings)
        t0 = time.perf_counter()

        def on_progress(p: Any) -> None:
            timeline.append((time.perf_counter() - t0, p.done, p.pending, p.in_flight))

        async with client or MigoClient(settings) as c:
            t0 = time.perf_counter()
            summary = await BulkEngine(c, store, settings, on_progress=on_progress).run(job_id)
            return Run(time.perf_counter() - t0, summary, timeline)


class SleepClient:
    """Answers after ``latency`` without HTTP: the engine + SQLite alone, at the same latency."""

    single_attempt = False

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.stats = ClientStats()

    async def __aenter__(self) -> SleepClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def ruc(self, number: str, *, hooks: Any = None) -> LookupResult:
        self.stats.requests += 1
        await asyncio.sleep(self.latency)
        data = Taxpayer(ruc=number, razon_social="EMPRESA " + number, estado="ACTIVO", condicion="HABIDO")
        return LookupResult(IdKind.RUC, number, LookupStatus.OK, data)

    dni = ruc


# --- sweep ------------------------------------------------------------------------------------------------
def sweep(n: int, rows: list[list[str]], res: dict[str, float], rounds: int) -> None:
    """Per latency, ``rounds`` rounds against one server process, each round running back to back (fresh
    RUCs each time) the engine, MigoClient alone (at 50 ms), raw aiohttp, and raw aiohttp with its starts
    spread like the engine's (the floor of this stack): this machine drifts by ±5 % from one minute to the
    next, so the median of the rounds is the figure, and engine − floor in the same round is what the app
    adds."""
    for latency in (0.05, 0.15, 0.30):
        ideal, ms = n * latency / C, int(latency * 1000)
        engine, alone, plain, floor, complete = [], [], [], [], True
        with server_process(latency=latency) as (_p, base_url):
            for r in range(rounds if latency < 0.3 else 1):
                base = 1_000_000 + ms * 20_000 + r * 4 * n
                reset_stats(base_url)
                run = asyncio.run(engine_run(http_settings(base_url), rucs(n, base)))
                complete &= run.summary.counts[LookupStatus.PENDING] == 0
                complete &= fetch_stats(base_url).answered_total == n
                engine.append(run.wall / ideal)
                if latency < 0.3:
                    if latency < 0.1:
                        wall = asyncio.run(client_only(http_settings(base_url), rucs(n, base + n)))
                        alone.append(wall / ideal)
                    plain.append(asyncio.run(raw_only(base_url, rucs(n, base + 2 * n))) / ideal)
                    floor.append(asyncio.run(raw_only(base_url, rucs(n, base + 3 * n), spread=True)) / ideal)
                print(f"  {ms} ms, round {r + 1}: engine {engine[-1]:.3f}×"
                      + (f", MigoClient {alone[-1]:.3f}×" if alone else "")
                      + (f", aiohttp {plain[-1]:.3f}×, aiohttp spread {floor[-1]:.3f}×" if floor else ""),
                      flush=True)  # fmt: skip
        med = statistics.median(engine)
        res[f"sweep_{ms}"] = med
        note = f"ideal {ideal:.1f} s · completo={complete} · rondas: {listed(engine)}"
        if alone:
            note += f" · MigoClient solo (sin motor ni SQLite, sin repartir): {statistics.median(alone):.3f}×"
        if floor:
            res[f"sweep_{ms}_floor"] = statistics.median(floor)
            gap = statistics.median(e - f for e, f in zip(engine, floor, strict=True))
            note += (
                f" · aiohttp crudo contra el mismo servidor: {statistics.median(plain):.3f}×"
                f" ({listed(plain)})"
                f" · aiohttp crudo con los arranques repartidos como el motor (el piso): "
                f"{statistics.median(floor):.3f}× ({listed(floor)}) · lo que el motor y el cliente añaden al "
                f"piso, mediana por ronda: {gap * 100:+.1f} puntos"
            )
            stub = asyncio.run(
                engine_run(demo_settings(concurrency=C), rucs(n, 1_500_000), SleepClient(latency))
            )
            note += f" · motor+SQLite con un cliente que solo duerme: {stub.wall / ideal:.3f}×"
        label = f"barrido: {n} RUC, HTTP, latencia {ms} ms, C={C}"
        rows.append([label, f"**{med:.3f}× ideal** (mediana de {len(engine)})", note])
        print(rows[-1], flush=True)


def listed(values: list[float]) -> str:
    return " · ".join(f"{v:.3f}×" for v in values)


async def client_only(settings: ApiSettings, numbers: list[str]) -> float:
    """The HTTP stack's own ceiling: MigoClient alone, same concurrency, no engine, no store."""
    gate = asyncio.Semaphore(settings.concurrency)
    async with MigoClient(settings) as client:

        async def one(n: str) -> None:
            async with gate:
                await client.ruc(n)

        t0 = time.perf_counter()
        await asyncio.gather(*(one(n) for n in numbers))
        return time.perf_counter() - t0


@contextlib.asynccontextmanager
async def raw_calls(
    base_url: str, *, spread: bool = False
) -> AsyncIterator[Callable[[str], Awaitable[None]]]:
    """One RUC lookup with raw aiohttp (no httpx, no parsing into models), at most C at a time; ``spread``:
    starts spread over the round trip by the engine's own Pacer (core/pacing.py, «Spread»)."""
    import aiohttp

    gate = asyncio.Semaphore(C)
    pacer = Pacer(concurrency=C) if spread else None
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=C + 1)) as session:

        async def one(n: str) -> None:
            async with gate:
                sent = await pacer.admit() if pacer is not None else 0.0
                async with session.post(base_url + "/ruc", json={"token": DEMO_TOKEN, "ruc": n}) as r:
                    json.loads(await r.read())
                if pacer is not None:
                    pacer.on_answer(sent, r.status, None, None)

        yield one


async def raw_only(base_url: str, numbers: list[str], *, spread: bool = False) -> float:
    """The floor of this machine and fake server: raw aiohttp, same concurrency, wall time."""
    async with raw_calls(base_url, spread=spread) as one:
        t0 = time.perf_counter()
        await asyncio.gather(*(one(n) for n in numbers))
        return time.perf_counter() - t0


# --- client CPU -------------------------------------------------------------------------------------------
async def cpu_migo(base_url: str, numbers: list[str], transport: Any = None) -> float:
    settings = http_settings(base_url)
    gate = asyncio.Semaphore(C)
    async with MigoClient(settings, transport=transport) as client:

        async def one(n: str) -> None:
            async with gate:
                await client.ruc(n)

        await asyncio.gather(*(one(n) for n in numbers[:200]))  # warm: connections, caches
        c0 = time.process_time()
        await asyncio.gather(*(one(n) for n in numbers[200:]))
        return (time.process_time() - c0) / (len(numbers) - 200)


async def cpu_aiohttp(base_url: str, numbers: list[str]) -> float:
    async with raw_calls(base_url) as one:
        await asyncio.gather(*(one(n) for n in numbers[:200]))
        c0 = time.process_time()
        await asyncio.gather(*(one(n) for n in numbers[200:]))
        return (time.process_time() - c0) / (len(numbers) - 200)


def cpu(n: int, rows: list[list[str]], res: dict[str, float], rounds: int) -> None:
    with server_process() as (_p, base_url):
        variants = {
            "MigoClient (httpx + httpx-aiohttp, la app)": lambda k: cpu_migo(base_url, rucs(n, k)),
            "MigoClient con el pool httpcore de httpx": lambda k: cpu_migo(
                base_url, rucs(n, k), httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=C + 1))
            ),
            "aiohttp crudo (sin httpx ni modelos)": lambda k: cpu_aiohttp(base_url, rucs(n, k)),
        }
        for i, (name, fn) in enumerate(variants.items()):
            per = min(asyncio.run(fn(2_000_000 + i * 100_000 + r * 10_000)) for r in range(rounds))
            if i == 0:
                res["cpu"] = per * 1000
            rows.append([f"CPU del cliente por consulta: {name}", f"**{per * 1000:.3f} ms**",
                         f"{n - 200} consultas, sin latencia, mejor de {rounds}"])  # fmt: skip
            print(rows[-1], flush=True)


# --- faults -----------------------------------------------------------------------------------------------
FAULTS = {"p_5xx": 0.05, "p_reset": 0.01, "p_hang": 0.005, "hang_seconds": 60, "seed": 7}


def faults(n: int, rows: list[list[str]], res: dict[str, float]) -> None:
    latency = 0.005
    with server_process(latency=latency) as (_p, base_url):
        clean = asyncio.run(engine_run(http_settings(base_url), rucs(n, 3_000_000)))
    runs: dict[str, tuple[Run, Any]] = {}
    for label, extra in (("sin 429", {}), ("con 429", {"p_429": 0.03, "retry_after": 1})):
        with server_process(latency=latency, **FAULTS, **extra) as (_p, base_url):
            run = asyncio.run(engine_run(http_settings(base_url), rucs(n, 3_100_000)))
            stats = fetch_stats(base_url)
        runs[label] = (run, stats)
    run, stats = runs["sin 429"]
    hung = stats.faults.get("hang", 0)
    unavoidable = hung * 20.0 / C + clean.wall
    errors = run.summary.counts[LookupStatus.ERROR]
    twice = len(stats.answered_more_than_once())
    res["faults"] = run.wall / unavoidable
    res["faults_ok"] = float(errors == 0 and twice == 0 and run.stall() < 10)
    rows.append(
        [
            f"fallos: {n} RUC, 5 ms, 5% 5xx, 1% resets, 0,5% sin respuesta",
            f"{run.wall:.1f} s = **{res['faults']:.2f}× lo inevitable** ({unavoidable:.1f} s)",
            f"sin fallos {clean.wall:.1f} s · colgadas {hung} × 20 s / {C} · ERROR={errors} · "
            f"respondidos 2 veces={twice} · {stall_note(run)} · inyectados {dict(stats.faults)}",
        ]
    )
    print(rows[-1], flush=True)
    run429, stats429 = runs["con 429"]
    errors429 = run429.summary.counts[LookupStatus.ERROR]
    twice429 = len(stats429.answered_more_than_once())
    res["faults_429"] = run.wall / run429.wall
    res["faults_429_ok"] = float(errors429 == 0 and twice429 == 0)
    rows.append(
        [
            f"fallos + 3% de 429 aislados (Retry-After 1 s): {n} RUC",
            f"{run429.wall:.1f} s: **{res['faults_429']:.0%} del rendimiento** sin 429",
            f"ERROR={errors429} · respondidos 2 veces={twice429} · {stall_note(run429)} · "
            f"429={stats429.by_status.get(429, 0)}",
        ]
    )
    print(rows[-1], flush=True)


def stall_note(run: Run) -> str:
    return (
        f"mayor lapso sin avance con filas esperando {run.stall():.1f} s "
        f"(con todo lo pendiente en vuelo, p. ej. colgadas al final: {run.stall(waiting_only=False):.1f} s)"
    )


# --- quotas -----------------------------------------------------------------------------------------------
def quotas(n: int, rows: list[list[str]], res: dict[str, float]) -> None:
    latency = 0.05
    per_second = 100
    with server_process(latency=latency, per_second=per_second, burst=per_second) as (_p, base_url):
        run = asyncio.run(engine_run(http_settings(base_url), rucs(n, 4_000_000)))
        stats = fetch_stats(base_url)
    ideal = n / per_second
    share = stats.by_status.get(429, 0) / max(1, stats.requests)
    res["bucket"], res["bucket_429"] = run.wall / ideal, share
    rows.append([f"cupo por segundo (token bucket {per_second}/s, 429 + Retry-After): {n} RUC, 50 ms",
                 f"{run.wall:.1f} s = **{run.wall / ideal:.3f}× el tiempo del cupo** ({ideal:.0f} s)",
                 f"429 = **{share:.1%}** de {stats.requests} solicitudes · "
                 f"completo={run.summary.counts[LookupStatus.PENDING] == 0}"])  # fmt: skip
    print(rows[-1], flush=True)
    limit, window = 300, 5.0
    with server_process(latency=latency, window_limit=limit, window_seconds=window) as (_p, base_url):
        reset_stats(base_url)
        run = asyncio.run(engine_run(http_settings(base_url), rucs(n, 4_100_000)))
        stats = fetch_stats(base_url)
    ideal = n * window / limit
    share = stats.by_status.get(429, 0) / max(1, stats.requests)
    res["window"], res["window_429"] = run.wall / ideal, share
    rows.append([f"ventana fija estilo Laravel ({limit} por {window:g} s, con X-RateLimit-*): {n} RUC, 50 ms",
                 f"{run.wall:.1f} s = **{run.wall / ideal:.3f}× el tiempo de las ventanas** ({ideal:.0f} s)",
                 f"429 = **{share:.1%}** de {stats.requests} solicitudes · "
                 f"completo={run.summary.counts[LookupStatus.PENDING] == 0}"])  # fmt: skip
    print(rows[-1], flush=True)


# --- report -----------------------------------------------------------------------------------------------
def verdicts(res: dict[str, float]) -> list[str]:
    def yes(ok: bool) -> str:
        return "cumplida" if ok else "**NO cumplida**"

    out = []
    if "sweep_50" in res:
        a, b = res["sweep_50"], res["sweep_150"]
        out.append(f"- ≤ 1,15× ideal a 50 ms: {yes(a <= 1.15)} ({a:.3f}×).")
        out.append(f"- ≤ 1,04× ideal a 150 ms: {yes(b <= 1.04)} ({b:.3f}×).")
    if "cpu" in res:
        out.append(
            f"- CPU del cliente ≤ 0,6 ms por consulta: {yes(res['cpu'] <= 0.6)} ({res['cpu']:.3f} ms)."
        )
    if "faults" in res:
        ok = res["faults"] <= 1.5 and bool(res["faults_ok"])
        out.append(
            f"- fallos ≤ 1,5× lo inevitable, 0 ERROR, 0 pagados dos veces, sin lapsos de 10 s: {yes(ok)}."
        )
        ok = res["faults_429"] >= 0.5 and bool(res["faults_429_ok"])
        out.append(f"- con 3% de 429 aislados, rendimiento ≥ 50%: {yes(ok)} ({res['faults_429']:.0%}).")
    if "bucket" in res:
        a, b = res["bucket"], res["bucket_429"]
        out.append(
            f"- token bucket ≤ 1,05× y ≤ 10% de 429: {yes(a <= 1.05 and b <= 0.10)} ({a:.3f}×, {b:.1%})."
        )
        a, b = res["window"], res["window_429"]
        out.append(
            f"- ventana fija ≤ 1,05× y ≤ 2% de 429: {yes(a <= 1.05 and b <= 0.02)} ({a:.3f}×, {b:.1%})."
        )
    return out


def loadavg() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="sweep,cpu,faults,quota")
    ap.add_argument("--no-doc", action="store_true")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of the CPU measurement (best reported)")
    ap.add_argument("--sweep-rounds", type=int, default=3, help="rounds of the sweep (median reported)")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    quick = args.quick
    rows: list[list[str]] = []
    res: dict[str, float] = {}
    before = loadavg()
    print(f"cpus={os.cpu_count()} load={before}", flush=True)
    if "sweep" in parts:
        sweep(1000 if quick else 5000, rows, res, 1 if quick else args.sweep_rounds)
    if "cpu" in parts:
        cpu(1200 if quick else 5200, rows, res, args.rounds)
    if "faults" in parts:
        faults(600 if quick else 3000, rows, res)
    if "quota" in parts:
        quotas(600 if quick else 3000, rows, res)
    table = ["| medición | resultado | nota |", "|---|---|---|"] + [
        f"| {a} | {b} | {c} |" for a, b, c in rows
    ]
    goals = verdicts(res)
    print("\n".join(table + [""] + goals))
    if not quick and not args.no_doc:
        write_doc(table + ["", "Metas (issue 14):", *goals], before, loadavg(), args.only)
    return 0


NOTES = """\
Cómo leerlo:
- Cada razón es de una sola corrida, salvo el barrido: la máquina tiene 2 núcleos compartidos y varía ±5 % de
  un minuto a otro (la carga media antes → después se indica arriba), así que el barrido da la mediana de
  varias rondas, y en cada ronda el motor, MigoClient solo, aiohttp crudo y aiohttp crudo con los arranques
  repartidos corren uno tras otro contra el mismo servidor.
- El piso es aiohttp crudo con los arranques repartidos por el mismo `Pacer` del motor (core/pacing.py,
  «Spread»): sin repartir, las respuestas que llegan juntas vuelven a salir juntas y las consultas en vuelo
  se agrupan en rachas que se esperan entre sí en cada ida y vuelta.
- «ideal» = N · latencia / C: lo que tardarían C consultas siempre en vuelo sin ningún costo propio.
- «motor+SQLite con un cliente que solo duerme» es el mismo motor con un cliente sin HTTP: su distancia al
  ideal es el costo propio del motor (cola, escritura diferida en SQLite, progreso).
- La CPU del cliente se mide con `time.process_time()` en este proceso (el servidor corre en otro), tras 200
  consultas de calentamiento. En la app esa CPU se gasta en el hilo de la interfaz (el bucle de qasync).
- En «fallos», lo inevitable es (consultas colgadas × 20 s de espera de lectura ÷ C) + la corrida sin fallos:
  una consulta colgada ocupa solo su propio cupo; la espera de lectura no se acorta (una consulta abandonada
  puede haberse cobrado). «Respondidos 2 veces» lo cuenta el propio servidor falso por RUC.
"""


def write_doc(table: list[str], before: str, after: str, only: str) -> None:
    when = time.strftime("%Y-%m-%d %H:%M")
    intro = (
        f"Medido el {when} con `.venv/bin/python bench/engine.py --only {only}` ({os.cpu_count()} núcleos, "
        f"Python {sys.version.split()[0]}). Carga media antes → después: {before} → {after}. El simulador "
        "HTTP (`tests/support/demo_server.py`, aiohttp.web) corre en otro proceso."
    )
    section = "\n".join(["## Motor", "", intro, "", *table, "", NOTES])
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\n"
    pattern = re.compile(r"^## Motor\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    raise SystemExit(main())
