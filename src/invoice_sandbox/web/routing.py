"""Connexion's routing middleware, with each router trying only the routes a path can match.

Starlette's ``Router`` tries its routes one by one, a regular expression each, until one
matches: a request for the tenth path of a spec pays for ten. ``IndexedRouter`` first narrows
the routes by the path's literal segments (``/invoices/{id}/items`` can only be a route of
three segments whose first is ``invoices`` and third ``items``), then runs Starlette's own
matching over those candidates, in the router's order, so the route chosen — and a partial
match answering 405 — is the one Starlette would choose. When no candidate matches, the
router falls back to Starlette's full pass (trailing-slash redirects, the default app).
Routes whose parameters may span segments (``{p:path}``, unknown converters) are always
candidates.
"""

from __future__ import annotations

import operator
import re
import typing as t

import starlette.routing
from connexion.frameworks import starlette as connexion_starlette
from connexion.middleware.routing import RoutingAPI, RoutingMiddleware
from starlette import convertors
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Mount, Route, Router
from starlette.types import Receive, Scope, Send

_ONE_SEGMENT = frozenset(c.regex for c in (
    convertors.StringConvertor, convertors.IntegerConvertor, convertors.FloatConvertor,
    convertors.UUIDConvertor, connexion_starlette.IntegerConverter,
    connexion_starlette.FloatConverter,
))
"""Converter patterns that never match a ``/``: a parameter of one segment."""
_PARAMETER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_]+)?\}")

Shape = t.Tuple[int, t.Tuple[int, ...], bool]
"""(segments, positions of literal segments, whether more segments may follow)."""


def route_shape(route: BaseRoute) -> Shape | None:
    """What a path needs to possibly match ``route``; None when any path might."""
    if isinstance(route, Mount):
        segments, prefix = route.path.split("/")[1:], True
    elif isinstance(route, Route):
        segments, prefix = route.path.split("/")[1:], False
    else:
        return None
    if not segments or segments == [""]:
        return None
    literal = []
    for position, segment in enumerate(segments):
        if "{" not in segment:
            literal.append(position)
        elif not _PARAMETER.fullmatch(segment) or prefix:
            return None
    if not isinstance(route, Mount) and any(
            c.regex not in _ONE_SEGMENT for c in route.param_convertors.values()):
        return None
    return len(segments), tuple(literal), prefix


class IndexedRouter(Router):
    """A Starlette ``Router`` that tries only the routes a path's literal segments allow."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._indexed_count = -1
        self._always: list[int] = []
        self._exact: dict[int, list[tuple[t.Callable, dict]]] = {}
        self._prefixed: list[tuple[int, t.Callable, dict]] = []

    def _index(self) -> None:
        """(Re)built when routes were added since (Connexion adds them after construction).
        Routes of one shape share a table: the path's literal segments -> route numbers."""
        self._always = []
        tables: dict[Shape, dict] = {}
        for number, route in enumerate(self.routes):
            shape = route_shape(route)
            if shape is None:
                self._always.append(number)
                continue
            segments = route.path.split("/")[1:]
            key = _key_of(shape[1])(segments)
            tables.setdefault(shape, {}).setdefault(key, []).append(number)
        self._exact, self._prefixed = {}, []
        for (count, literal, prefix), table in tables.items():
            if prefix:
                self._prefixed.append((count, _key_of(literal), table))
            else:
                self._exact.setdefault(count, []).append((_key_of(literal), table))
        self._indexed_count = len(self.routes)

    def candidates(self, path: str) -> list[BaseRoute]:
        """The routes that may match ``path``, in the router's order."""
        if self._indexed_count != len(self.routes):
            self._index()
        segments = path.split("/")[1:]
        found = [table[key] for key_of, table in self._exact.get(len(segments), ())
                 if (key := key_of(segments)) in table]
        found += [table[key] for count, key_of, table in self._prefixed
                  if len(segments) >= count and (key := key_of(segments)) in table]
        if len(found) == 1 and not self._always:
            numbers = found[0]
        else:
            numbers = sorted(self._always + [n for group in found for n in group])
        return [self.routes[number] for number in numbers]


def _key_of(positions: tuple[int, ...]) -> t.Callable[[list[str]], tuple[str, ...]]:
    """The segments at ``positions`` of a split path, as a tuple (a table key)."""
    if not positions:
        return lambda segments: ()
    getter = operator.itemgetter(*positions)
    if len(positions) == 1:
        return lambda segments: (getter(segments),)
    return getter


    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().app(scope, receive, send)
            return
        path = get_route_path(scope)
        if "\n" in path:  # Starlette's ``$`` also matches before a final newline: its way
            await super().app(scope, receive, send)
            return
        scope.setdefault("router", self)
        partial = partial_scope = None
        for route in self.candidates(path):
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                scope["route"] = route
                scope.update(child_scope)
                await route.handle(scope, receive, send)
                return
            if match is Match.PARTIAL and partial is None:
                partial, partial_scope = route, child_scope
        if partial is not None:
            scope["route"] = partial
            scope.update(partial_scope)
            await partial.handle(scope, receive, send)
            return
        await super().app(scope, receive, send)  # redirects and the default, as Starlette


class IndexedRoutingMiddleware(RoutingMiddleware):
    """Connexion's ``RoutingMiddleware`` with ``IndexedRouter`` at both levels (the APIs by
    base path, and each API's operations)."""

    def __init__(self, app) -> None:
        super().__init__(app)
        self.router = IndexedRouter(default=self.router.default)

    def add_api(self, specification, base_path=None, arguments=None, **kwargs) -> None:
        api = RoutingAPI(specification, base_path=base_path, arguments=arguments,
                         next_app=self.app, **kwargs)
        api.router = IndexedRouter(routes=api.router.routes, default=api.router.default)
        # As Connexion: an API added under a base path already routed is tried after it.
        for route in self.router.routes:
            if isinstance(route, starlette.routing.Mount) and route.path == api.base_path:
                route.app.default = api.router
        self.router.mount(api.base_path, app=api.router)
