"""The shape of the house: layers that only import downward, no cycles, one error tree."""

import ast
import subprocess
import sys
from pathlib import Path

import invoice_sandbox
from invoice_sandbox import errors

SRC = Path(invoice_sandbox.__file__).parent
LAYERS = [
    ("errors", "core"),                                 # pure vocabulary
    ("config", "store", "specs"),                       # the store; specs and config read once
    ("providers",),                                     # the vendors
    ("tenancy",),                                       # keys -> tenants, settings, fixtures
    ("sandbox",),                                       # the parts, assembled
    ("control",),                                       # the control plane
    ("web",),                                           # Connexion glue
    ("app",),                                           # create_app
    ("cli", "workers", "testing", "__init__"),          # entry points
]
LAYER_OF = {part: level for level, parts in enumerate(LAYERS) for part in parts}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "__init__"


def imported(path: Path) -> set[str]:
    """Every module of the package that ``path`` imports, at any depth of its code."""
    package = module_name(path).split(".") if path.name == "__init__.py" else \
        module_name(path).split(".")[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            if node.level == 0:
                if not (node.module or "").startswith("invoice_sandbox"):
                    continue
                base, module = [], node.module.split(".", 1)[1] if "." in node.module else ""
            else:
                module = node.module or ""
            target = [p for p in [*base, *module.split(".")] if p and p != "__init__"]
            if module:  # ``from . import x`` imports x, not the package it is in
                names.add(".".join(target) or "__init__")
            names.update(".".join([*target, alias.name]) for alias in node.names)
    return names


def layer(module: str) -> int:
    return LAYER_OF[module.split(".")[0]]


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in SRC.rglob("*.py")}


def test_every_module_belongs_to_a_layer():
    assert [m for m in modules() if m.split(".")[0] not in LAYER_OF] == []


def test_no_module_imports_a_higher_layer():
    known = modules()
    upward = [f"{m} -> {target}" for m, path in known.items() for target in imported(path)
              if target in known and layer(target) > layer(m)]
    assert upward == []


def test_there_is_no_import_cycle():
    known = modules()
    graph = {m: {t for t in imported(p) if t in known and t != m} for m, p in known.items()}
    done, path = set(), []

    def visit(node):
        if node in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(node):] + [node]))
        if node in done:
            return
        path.append(node)
        for target in sorted(graph[node]):
            visit(target)
        path.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)


def test_the_public_error_tree_is_pinned():
    assert sorted(errors.__all__) == [
        "Conflict", "FieldError", "FixtureFileError", "InternalError", "InvalidFixture",
        "InvalidRequest", "InvoiceSandboxError", "MalformedBody", "MethodNotAllowed",
        "NotEmulated", "NotFound", "PayloadTooLarge", "SandboxError", "ServerFault", "SpecError",
        "StartupError", "StoreUnavailable", "TooManyRequests", "Unauthorized",
        "UnsupportedMediaType",
    ]
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert cls is errors.FieldError or issubclass(cls, errors.InvoiceSandboxError), name


def test_the_package_exports_create_app_and_sandbox_config():
    assert invoice_sandbox.__all__ == ["SandboxConfig", "create_app"]


def test_importing_the_package_and_its_plugin_changes_no_global_state():
    script = (
        "import sys, warnings, logging; before = (list(warnings.filters), "
        "logging.root.level, len(logging.root.handlers)); "
        "import invoice_sandbox, invoice_sandbox.testing.pytest_plugin; "
        "after = (list(warnings.filters), logging.root.level, len(logging.root.handlers)); "
        "print(before == after, 'connexion' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["True", "False"]
