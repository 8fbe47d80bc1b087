import re
from pathlib import Path

import pytest
from starlette.routing import Match, Mount, Route

from invoice_sandbox.specs import load_spec
from invoice_sandbox.web.routing import IndexedRouter, route_shape

SPECS = sorted((Path(__file__).parents[2] / "openapi").glob("*.yaml"))
FILLINGS = ["in_1", "x", "", "a/b", "123", "a%2Fb"]


async def endpoint(scope, receive, send):  # never called: only matched
    raise AssertionError


def spec_router(spec_path: Path) -> IndexedRouter:
    router = IndexedRouter()
    for path, item in load_spec(spec_path)["paths"].items():
        for method in item:
            if method in {"get", "put", "post", "delete", "patch"}:
                router.routes.append(Route(path, endpoint, methods=[method.upper()]))
    return router


def probe_paths(templates) -> set[str]:
    paths = set()
    for template in templates:
        for filling in FILLINGS:
            path = re.sub(r"\{[^}]+\}", filling, template)
            paths |= {path, path + "/", path.rstrip("/") + "/extra", "/" + path, path + "//"}
    return paths | {"/", "", "/nothing", "//"}


def position(router, route) -> int:
    return next(n for n, r in enumerate(router.routes) if r is route)


def matching(router, path: str, method: str) -> list:
    scope = {"type": "http", "path": path, "root_path": "", "method": method}
    return [route for route in router.routes if route.matches(scope)[0] is not Match.NONE]


@pytest.mark.parametrize("spec_path", SPECS, ids=lambda p: p.stem)
def test_every_route_starlette_would_match_is_a_candidate_in_the_routers_order(spec_path):
    router = spec_router(spec_path)
    templates = [route.path for route in router.routes]
    for path in probe_paths(templates):
        numbers = [position(router, route) for route in router.candidates(path)]
        assert numbers == sorted(numbers)
        for method in ("GET", "POST", "DELETE"):
            matched = {position(router, route) for route in matching(router, path, method)}
            assert matched <= set(numbers), (path, method)


def test_a_path_is_narrowed_to_the_routes_of_its_literal_segments():
    router = spec_router(Path(__file__).parents[2] / "openapi" / "rebilly.yaml")
    found = {(r.path, tuple(r.methods)) for r in router.candidates("/invoices/in_1/items")}
    assert {path for path, _methods in found} == {"/invoices/{id}/items"}
    assert len(router.candidates("/invoices/in_1/items")) < len(router.routes) / 4


def test_mounts_are_narrowed_by_their_prefix_and_routes_spanning_segments_always_tried():
    router = IndexedRouter(routes=[Mount("/rebilly", endpoint), Mount("/lineitems", endpoint),
                                   Route("/files/{name:path}", endpoint)])
    assert [r.path for r in router.candidates("/rebilly/invoices")] == ["/rebilly",
                                                                        "/files/{name:path}"]
    assert route_shape(Route("/files/{name:path}", endpoint)) is None
    assert route_shape(Mount("/rebilly", endpoint)) == (1, (0,), True)


def test_a_wrong_method_is_still_405_and_an_unknown_path_404(client):
    auth = {"REB-APIKEY": "sk_sandbox_routing"}
    path = "/rebilly/invoices/in_0YVF9605RKC62BP14NE2R7V2XT/items"
    assert client.post(path, json={"type": "debit", "unitPrice": 1, "quantity": 1},
                       headers=auth).status_code == 201
    assert client.request("PATCH", path, headers=auth).status_code == 405
    assert client.get("/rebilly/no-such-thing", headers=auth).status_code == 404
