"""The shape of the house (DESIGN.md): apps import each other in one direction only, never another
app's private names, `scheduling` imports no Django, and no module grows past about 450 lines."""

import ast
import pathlib

SRC = pathlib.Path(__file__).resolve().parent.parent / "src" / "clusterbridge"
APPS = sorted(p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()
              and p.name not in ("locale", "formats", "templates", "static"))


def _modules():
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _app_of(path: pathlib.Path) -> str | None:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 and parts[0] in APPS else None


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def _graph() -> dict[str, set[str]]:
    graph = {app: set() for app in APPS}
    for path, tree in _modules():
        app = _app_of(path)
        for module, _names in _imports(tree):
            parts = module.split(".")
            if app and parts[0] == "clusterbridge" and len(parts) > 1 and parts[1] in APPS and parts[1] != app:
                graph[app].add(parts[1])
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_layout_has_no_import_circle_between_apps():
    assert _cycles(_graph()) == []


def test_layout_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_layout_directory_is_below_matching_and_the_apps_above_core():
    graph = _graph()
    assert ("matching" in graph["directory"], "directory" in graph["matching"]) == (False, True)
    assert graph["core"] == set()


def test_layout_no_app_imports_another_apps_private_names():
    private = []
    for path, tree in _modules():
        app = _app_of(path)
        for module, names in _imports(tree):
            parts = module.split(".")
            if app and parts[0] == "clusterbridge" and len(parts) > 1 and parts[1] in APPS and parts[1] != app:
                private += [f"{path.relative_to(SRC)}: {module}.{n}" for n in names if n.startswith("_")]
    assert private == []


def test_layout_scheduling_imports_no_django():
    django = [str(path.relative_to(SRC)) for path, tree in _modules() if _app_of(path) == "scheduling"
              and any(m.split(".")[0] == "django" for m, _n in _imports(tree))]
    assert django == []


def test_layout_no_module_over_450_lines():
    long = {str(path.relative_to(SRC)): n for path, _tree in _modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 450}
    assert long == {}
