"""No import cycle among the modules of these apps (module-level and function-level imports alike), so a
newcomer can read each app from its models up. The apps still being untangled join the list as they are done;
import-linter's contracts take over in `make test`."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACYCLIC = ["people", "places", "meetings", "elections", "duty", "archive", "notifications", "common"]


def _modules() -> dict[str, Path]:
    found = {}
    for app in ACYCLIC:
        for path in (ROOT / "apps" / app).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "tests" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    def resolve(name):
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                imported = [base, *(f"{base}.{a.name}" for a in node.names)]
            else:
                continue
            for target in map(resolve, imported):
                # A package's own submodules importing it (or it them) is the package, not a cycle.
                if target and target != name and not name.startswith(target + "."):
                    targets.add(target)
        graph[name] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_these_apps_have_no_import_cycle():
    assert _cycles(_graph(_modules())) == []


def test_the_check_finds_a_cycle_when_there_is_one():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
