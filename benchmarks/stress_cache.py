"""Stress the caches: N checks of a generated tree edited between runs, each compared with a
check that uses no cache at all. Documented in benchmarks/README.md; not part of CI.

    python benchmarks/stress_cache.py [--iterations 1000] [--seed 0] [--settle-every 50]
                                      [--cli] [--workdir DIR] [--keep]

Each iteration makes one to three random edits (add or remove an import in any form, add,
delete or rename a module or a whole subpackage, introduce or fix a syntax error, rewrite a
file at the same size and set its old modification time back as ``cp -p`` would, or nothing at
all), then checks the tree twice: with the import and report caches (what a developer's
repeated runs see) and with none (``--no-cache``). The two JSON reports must be identical.

Most edits land within the caches' racy window (a file changed less than two seconds before
the cache was written is never trusted), so every ``--settle-every`` iterations the script
makes no edit but waits for the files to age past it and checks twice: the first run trusts
the import cache and stores a report the second one takes from the report cache.

By default the checks run in-process (``boundary_lint.engine.check``, what the CLI calls);
``--cli`` runs the real console script instead (``boundary-lint check --format json``), about
ten times slower. Prints the number of iterations, of differences (each difference is also
described on stderr), of report-cache hits, and the time taken; exits 1 if any difference.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = "stress"
CONFIG = """\
[tool.boundary_lint]
root_packages = ["stress"]
dynamic_imports = true

[[tool.boundary_lint.contracts]]
id = "layers"
type = "layers"
layers = ["stress.s0", "stress.s1 | stress.s2", "stress.s3 : stress.s4", "(stress.s5)"]

[[tool.boundary_lint.contracts]]
id = "forbidden"
type = "forbidden"
source_modules = ["stress.s4", "stress.s5"]
forbidden_modules = ["stress.s0", "stress.s1"]

[[tool.boundary_lint.contracts]]
id = "forbidden-direct"
type = "forbidden"
source_modules = ["stress.s3.*"]
forbidden_modules = ["stress.s2"]
allow_indirect_imports = true
ignore_imports = ["stress.s3.m0 -> stress.**"]
unmatched_ignore_imports_alerting = "none"

[[tool.boundary_lint.contracts]]
id = "independence"
type = "independence"
modules = ["stress.s1", "stress.s2", "stress.u0"]

[[tool.boundary_lint.contracts]]
id = "protected"
type = "protected"
protected_modules = ["stress.s5"]
allowed_importers = ["stress.s4"]

[[tool.boundary_lint.contracts]]
id = "acyclic"
type = "acyclic_siblings"
ancestors = ["stress"]
"""


class Tree:
    """The generated package on disk, and the random edits made to it."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.counter = 0
        self.broken: dict[Path, str] = {}  # file -> the line that breaks it

    # -- what is there ---------------------------------------------------------------------

    def files(self) -> list[Path]:
        return sorted(self.root.joinpath(ROOT).rglob("*.py"))

    def module_of(self, path: Path) -> str:
        parts = list(path.relative_to(self.root).with_suffix("").parts)
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    def modules(self) -> list[str]:
        return [self.module_of(p) for p in self.files()]

    def packages(self) -> list[Path]:
        return sorted(p.parent for p in self.root.joinpath(ROOT).rglob("__init__.py"))

    # -- generating ------------------------------------------------------------------------

    def import_line(self, importer: Path) -> str:
        modules = self.modules()
        target = self.rng.choice(modules + [f"{ROOT}.s{self.rng.randrange(6)}.new{self.rng.randrange(40)}"])
        parent, _, last = target.rpartition(".")
        own = (
            self.module_of(importer)
            if importer.name == "__init__.py"
            else self.module_of(importer).rpartition(".")[0]
        )
        forms = [f"import {target}", f"import {target} as alias", f"from {target} import VALUE"]
        if parent:
            forms += [f"from {parent} import {last}", f"from {parent} import (\n    {last},\n    VALUE,\n)"]
        if parent == own:
            forms.append(f"from . import {last}")
        if target.startswith(own.rpartition(".")[0] + ".") and own.count("."):
            forms.append(f"from ..{target[len(own.rpartition('.')[0]) + 1 :]} import VALUE")
        statement = self.rng.choice(forms)
        where = self.rng.random()
        if where < 0.15:
            return (
                "def late():\n"
                + "".join(f"    {line}\n" for line in statement.splitlines())
                + "    return None"
            )
        if where < 0.25:
            return "import typing\nif typing.TYPE_CHECKING:\n" + "".join(
                f"    {line}\n" for line in statement.splitlines()
            ).rstrip("\n")
        if where < 0.3:
            return f"importlib.import_module({target!r})"
        return statement

    def module_text(self, path: Path) -> str:
        lines = ['"""Generated."""', "import importlib", ""]
        lines += [self.import_line(path) for _ in range(self.rng.choice([0, 1, 2, 2, 3, 4]))]
        return "\n".join(lines + ["VALUE = 1", ""])

    def write(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def generate(self) -> None:
        (self.root / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
        self.write(self.root / ROOT / "__init__.py", "")
        for k in range(6):
            self.write(self.root / ROOT / f"s{k}" / "__init__.py", "")
            for j in range(self.rng.randint(4, 12)):
                self.write(self.root / ROOT / f"s{k}" / f"m{j}.py", "")
            if self.rng.random() < 0.5:
                self.write(self.root / ROOT / f"s{k}" / "deep" / "__init__.py", "")
                for j in range(3):
                    self.write(self.root / ROOT / f"s{k}" / "deep" / f"d{j}.py", "")
        for j in range(3):
            self.write(self.root / ROOT / f"u{j}.py", "")
        for path in self.files():  # imports once every module exists
            self.write(path, self.module_text(path))

    # -- editing -----------------------------------------------------------------------------

    def edit(self) -> str:
        kind = self.rng.choice(
            [
                "add_import",
                "add_import",
                "add_import",
                "remove_import",
                "remove_import",
                "add_module",
                "delete_module",
                "rename_module",
                "break_syntax",
                "fix_syntax",
                "same_size_old_mtime",
                "add_package",
                "delete_package",
                "nothing",
            ]
        )
        files = self.files()
        path = self.rng.choice(files)
        if kind == "add_import":
            lines = path.read_text(encoding="utf-8").split("\n")
            lines.insert(self.rng.randint(0, len(lines)), self.import_line(path))
            path.write_text("\n".join(lines), encoding="utf-8")
        elif kind == "remove_import":
            lines = path.read_text(encoding="utf-8").split("\n")
            imports = [i for i, line in enumerate(lines) if line.startswith(("import ", "from "))]
            if imports:
                del lines[self.rng.choice(imports)]
                path.write_text("\n".join(lines), encoding="utf-8")
        elif kind in ("add_module", "add_package"):
            package = self.rng.choice(self.packages())
            self.counter += 1
            new = package / (
                f"new{self.counter}.py" if kind == "add_module" else f"pkg{self.counter}/__init__.py"
            )
            self.write(new, self.module_text(new))
            if kind == "add_package":
                for j in range(self.rng.randint(1, 4)):
                    self.write(new.parent / f"p{j}.py", self.module_text(new.parent / f"p{j}.py"))
        elif kind == "delete_module":
            if path.name != "__init__.py":
                path.unlink()
                self.broken.pop(path, None)
        elif kind == "delete_package":
            top = self.root / ROOT
            # Any package but the root and its six sections (s0..s5, named by the contracts).
            packages = [
                p for p in self.packages() if p != top and (p.parent != top or p.name.startswith("pkg"))
            ]
            if packages:
                victim = self.rng.choice(packages)
                shutil.rmtree(victim)
                self.broken = {p: line for p, line in self.broken.items() if victim not in p.parents}
        elif kind == "rename_module":
            if path.name != "__init__.py":
                self.counter += 1
                destination = self.rng.choice(self.packages()) / f"moved{self.counter}.py"
                path.rename(destination)
                if path in self.broken:
                    self.broken[destination] = self.broken.pop(path)
        elif kind == "break_syntax":
            line = self.rng.choice(["def broken(:", "import", "class", "x = (", "from . import"])
            path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
            self.broken[path] = line
        elif kind == "fix_syntax":
            if self.broken:
                broken = self.rng.choice(sorted(self.broken))
                line = self.broken.pop(broken)
                if broken.exists():
                    broken.write_text(
                        broken.read_text(encoding="utf-8").replace(f"\n{line}\n", "\n", 1), encoding="utf-8"
                    )
        elif kind == "same_size_old_mtime":
            text = path.read_text(encoding="utf-8")
            before = path.stat()
            swapped = text.replace("s1", "s2") if "s1" in text else text.replace("s2", "s1")
            if swapped != text:
                path.write_text(swapped, encoding="utf-8")
                os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        return kind


# -- checking ------------------------------------------------------------------------------


def in_process_checker(root: Path):
    import boundary_lint.report_cache as cache_module
    from boundary_lint.config import load_config
    from boundary_lint.engine import CheckOptions, check
    from boundary_lint.formatters.json_format import render

    hits = [0]
    original = cache_module.ReportCache.load

    def counting_load(self, *args):  # type: ignore[no-untyped-def]
        result = original(self, *args)
        hits[0] += result is not None
        return result

    cache_module.ReportCache.load = counting_load  # type: ignore[method-assign]

    def run(use_cache: bool) -> str:
        config = load_config(root / "pyproject.toml")
        return render(check(config, CheckOptions(use_cache=use_cache)))

    return run, hits


def cli_checker(root: Path):
    script = Path(sys.executable).with_name("boundary-lint")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "boundary_lint"]

    def run(use_cache: bool) -> str:
        args = [*command, "check", "--format", "json"] + ([] if use_cache else ["--no-cache"])
        done = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=300)
        if done.returncode not in (0, 1) or done.stderr:
            return f"exit {done.returncode}\n{done.stderr}\n{done.stdout}"
        return done.stdout

    return run, [0]


def describe(cached: str, fresh: str) -> str:
    try:
        a, b = json.loads(cached), json.loads(fresh)
    except ValueError:
        return f"cached:\n{cached[:2000]}\nfresh:\n{fresh[:2000]}"

    def rows(data: dict) -> set[tuple[str, str, int, str]]:
        violations = {
            (c["id"], v["path"], v["line"], v["message"]) for c in data["contracts"] for v in c["violations"]
        }
        return violations | {("error", e["path"], e["line"], e["message"]) for e in data["errors"]}

    only_cached, only_fresh = sorted(rows(a) - rows(b)), sorted(rows(b) - rows(a))
    return f"only with the cache: {only_cached}\nonly without: {only_fresh}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--settle-every", type=int, default=50, help="wait past the racy window every N iterations (0: never)"
    )
    parser.add_argument(
        "--cli", action="store_true", help="run the console script instead of the engine in-process"
    )
    parser.add_argument(
        "--workdir", type=Path, help="where to generate the tree (default: a temporary directory)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the tree afterwards")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="boundary-lint-stress-"))
    root = workdir / "tree"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    tree = Tree(root, rng)
    tree.generate()
    run, hits = cli_checker(root) if args.cli else in_process_checker(root)
    from boundary_lint.graph.cache import RACY_NS

    differences = 0
    edits: dict[str, int] = {}
    started = time.perf_counter()
    try:
        for iteration in range(1, args.iterations + 1):
            settle = bool(args.settle_every) and iteration % args.settle_every == 0
            if settle:  # let every file age past the racy window; check before any edit
                time.sleep(RACY_NS / 1e9 + 0.1)
            made = [] if settle else [tree.edit() for _ in range(rng.randint(1, 3))]
            for kind in made:
                edits[kind] = edits.get(kind, 0) + 1
            cached = run(True)
            if settle:  # that run stored a report made from settled files: this one reuses it
                cached = run(True)
            fresh = run(False)
            if cached != fresh:
                differences += 1
                print(
                    f"iteration {iteration} (edits {made}): the cached report differs\n{describe(cached, fresh)}",
                    file=sys.stderr,
                )
            if iteration % 100 == 0:
                print(f"... {iteration} iterations, {differences} differences", file=sys.stderr)
        modules = len(tree.modules())
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print(f"iterations: {args.iterations}")
    print(f"differences: {differences}")
    print(f"report cache hits: {hits[0]}" + (" (not counted with --cli)" if args.cli else ""))
    print(f"edits: {', '.join(f'{k} {v}' for k, v in sorted(edits.items()))}")
    print(f"modules at the end: {modules}; time: {elapsed:.1f}s")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
