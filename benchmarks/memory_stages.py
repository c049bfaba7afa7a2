"""Where boundary-lint's peak memory comes from: RSS after each stage of one check.

    python benchmarks/memory_stages.py CONFIG [--contract ID]... [--cache-dir DIR | --no-cache]
        [--cold] [--drop-trees] [--tracemalloc N] [--format text]

Runs the engine's stages one by one in this process (so it uses boundary_lint's internal API of
the time: engine.discover / load_graph / check_graph and a formatter) and prints, per stage, the
resident set at its end and the stage's own peak (Linux: VmHWM, reset before each stage through
/proc/self/clear_refs), and its CPU time; the report is rendered in ``--format`` and written to a
temporary file, in pieces where the code of the time renders so. ``--cold`` removes the cache
directory first. ``--drop-trees`` is an
experiment, not a fix: it makes SourceIndex keep only each file's lines and import-statement
index instead of its whole syntax tree, to show what retaining the trees costs.
``--tracemalloc N`` prints the N largest Python allocation sites alive at the end of each stage
(slow; the RSS numbers are then inflated by tracemalloc's own bookkeeping).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path


def status() -> tuple[float, float]:
    """(current RSS, peak RSS since the last reset) in MB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("config", type=Path)
    parser.add_argument("--contract", action="append", default=[])
    parser.add_argument("--cache-dir", type=Path)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--cold", action="store_true", help="remove the cache directory first")
    parser.add_argument("--drop-trees", action="store_true")
    parser.add_argument("--tracemalloc", type=int, default=0, metavar="N")
    parser.add_argument("--format", default="text")
    args = parser.parse_args()

    if args.tracemalloc:
        tracemalloc.start(5)
    from boundary_lint import engine, formatters
    from boundary_lint.config import load_config
    from boundary_lint.files import write_file
    from boundary_lint.graph import source

    if args.drop_trees:
        original_load = source.SourceIndex._load

        def load_without_tree(self, path):  # type: ignore[no-untyped-def]
            loaded = original_load(self, path)
            if loaded.tree is not None:
                loaded.statements  # noqa: B018 - computed while the tree is there
                loaded.tree = None
            return loaded

        source.SourceIndex._load = load_without_tree  # type: ignore[method-assign]

    config = load_config(args.config.resolve())
    options = engine.CheckOptions(
        contract_ids=args.contract,
        use_cache=not args.no_cache,
        cache_dir=args.cache_dir.resolve() if args.cache_dir else None,
    )
    store = engine.cache_store(config, options)
    if args.cold and store is not None:
        shutil.rmtree(store.directory, ignore_errors=True)
    print(f"{'stage':<28} {'seconds':>8} {'CPU s':>8} {'RSS at end MB':>14} {'stage peak MB':>14}")

    def stage(name: str, work):  # type: ignore[no-untyped-def]
        reset_peak()
        started, cpu = time.perf_counter(), time.process_time()
        result = work()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        rss, peak = status()
        print(f"{name:<28} {elapsed:>8.2f} {cpu:>8.2f} {rss:>14.0f} {peak:>14.0f}", flush=True)
        if args.tracemalloc:
            for stat in tracemalloc.take_snapshot().statistics("lineno")[: args.tracemalloc]:
                print(f"      {stat.size / 2**20:8.1f} MB  {stat.count:>9} blocks  {stat.traceback[0]}")
        return result

    stage("start (imports, config)", lambda: None)
    contracts = engine.select_contracts(config, args.contract)
    files = stage("discover files", lambda: engine.discover(config))
    project = stage("build graph", lambda: engine.load_graph(config, options, files))
    report = stage(
        "check contracts + locate", lambda: engine.check_graph(config, project, contracts, options)
    )
    if store is not None:
        from boundary_lint.report_cache import ReportCache

        reports = ReportCache(store, engine._report_key(config, options))
        stage("store report cache", lambda: reports.store_report(files.fingerprint(), None, report))
    if hasattr(formatters, "pieces_formatter"):  # the CLI's way since the branch i260
        rendered = stage(
            f"render {args.format}", lambda: formatters.pieces_formatter(args.format)(report, False)
        )
    else:
        rendered = stage(f"render {args.format}", lambda: formatters.formatter(args.format)(report, False))
    with tempfile.TemporaryDirectory() as directory:
        stage("write it", lambda: write_file(Path(directory) / "report", rendered))
    _, peak_all = status()
    import resource

    print(
        f"process peak (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
        f"{report.modules} modules, {report.imports} imports, "
        f"{sum(len(c.violations) for c in report.contracts)} violations"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
