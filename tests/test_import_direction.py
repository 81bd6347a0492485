"""Stages import only backwards: fetch -> text -> analyses -> tables -> archive -> outputs ->
plots -> cli;
and inside a stage no two files import each other, directly or round a circle.

Every ``import``/``from ... import`` in every module counts, wherever it is written (inside a
function, under ``TYPE_CHECKING``), and so does ``importlib.import_module("draftscope....")``
with a literal name: a lazy import is still a dependency. ``draftscope.errors`` is below every
stage; the package root (``draftscope/__init__.py``, the public API) is above them all, and a
stage may take only ``__version__`` from it. A new top-level package must be placed in
:data:`STAGES` (and in DEVELOPING.md's stage map) before it can land.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "draftscope"

# stage -> rank; a module may import its own stage or a lower rank, never a higher one.
STAGES = {
    "errors": 0,
    "progress": 0,     # progress bars on stderr: a utility below every stage, like errors
    "files": 0,        # atomic writes (the cache's and every output's): below every stage
    "options": 0,      # defaults and checks of the options every stage shares
    "fetch": 1,
    "text": 2,
    "analyses": 3,
    "tables": 4,
    "archive": 5,      # the whole-archive scan: files -> rows -> a Parquet dataset
    "outputs": 6,      # formats registry, savers, record writers, drawing layout, Mermaid
    "plots": 7,
    "report": 8,       # web pages: HTML around the plots' figures
    "cli": 9,
    "__main__": 10,
}
ROOT_RANK = 10          # draftscope/__init__.py: the public API over every stage
ROOT_NAMES_ALLOWED = {"__version__"}


def stage_of(module: str) -> str:
    """``draftscope.tables.keywords`` -> ``tables``; the root package -> ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str, set[str]]]:
    """``(line, imported module, names taken from it)`` for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, set()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target, {alias.name for alias in node.names}))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value, set()))
    return [(line, target, names) for line, target, names in found
            if target == "draftscope" or target.startswith("draftscope.")]


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_stage_is_placed():
    unplaced = sorted({stage_of(module_name(p)) for p in MODULES} - set(STAGES) - {""})
    assert unplaced == [], (f"new top-level package(s) {unplaced}: give each a rank in STAGES "
                            "(tests/test_import_direction.py) and a row in DEVELOPING.md")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_imports_only_backwards(path):
    me = module_name(path)
    my_rank = ROOT_RANK if me == "draftscope" else STAGES.get(stage_of(me), ROOT_RANK)
    wrong = []
    for line, target, names in imports_of(path):
        if target == "draftscope":
            # the root package: only its version, everything else through the stage itself
            submodules = {n for n in names if (PACKAGE / n).is_dir() or (PACKAGE / f"{n}.py").exists()}
            plain = names - submodules - ROOT_NAMES_ALLOWED
            if plain and me != "draftscope":
                wrong.append(f"line {line}: from draftscope import {', '.join(sorted(plain))} "
                             "(the public API; import from the stage's module instead)")
            targets = [f"draftscope.{n}" for n in submodules]
        else:
            targets = [target]
        for module in targets:
            rank = STAGES.get(stage_of(module))
            if rank is not None and rank > my_rank:
                wrong.append(f"line {line}: {module} (stage {stage_of(module)} comes after "
                             f"{stage_of(me) or 'the root'})")
    assert wrong == [], f"{me} imports a later stage:\n" + "\n".join(wrong)


def test_the_checker_sees_lazy_and_relative_imports(tmp_path):
    """The parser itself: an import inside a function and a relative import are found."""
    sample = PACKAGE / "tables" / "keywords.py"
    targets = {target for _line, target, _names in imports_of(sample)}
    assert "draftscope.analyses.keywords" in targets          # at module level
    assert "draftscope.analyses.parallel" in targets          # inside a function
    assert "draftscope.text.document" in targets               # inside a function


def _module_of(target: str, names: set[str]) -> list[str]:
    """The modules an import statement loads: ``from pkg import sub`` loads ``pkg.sub``."""
    out = [target]
    for name in names:
        candidate = f"{target}.{name}"
        relative = Path(*candidate.split(".")[1:])
        if (PACKAGE / relative).is_dir() or (PACKAGE / relative).with_suffix(".py").exists():
            out.append(candidate)
    return out


def import_graph() -> dict[str, set[str]]:
    """module -> the draftscope modules it imports (lazily or not), parent packages left out."""
    known = {module_name(p) for p in MODULES}
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        me = module_name(path)
        edges = set()
        for _line, target, names in imports_of(path):
            for module in _module_of(target, names):
                if module in known and module != me and not me.startswith(module + "."):
                    edges.add(module)
        graph[me] = edges
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_import_circles_between_files():
    """A file that imports another which (perhaps through others) imports it back hides the order
    of the code; an import inside a function counts, as everywhere in this test."""
    assert circles(import_graph()) == []


def test_the_circle_finder_finds_circles():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []
