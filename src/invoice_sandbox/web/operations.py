"""The last step of a request on the async flavour: calling the handler, prepared once.

Connexion's ``AsyncOperation`` re-decorates its function on every request: it inspects the
handler's signature twice, builds a new URI parser and three wrapper layers, parses the body a
second time, looks for form files, and hands a sync handler to a worker thread. Here all of
that is prepared once per operation, when the app is built, and a handler is called directly
on the event loop: handlers do a few dictionary or Redis round trips and never wait on anything
else, so a thread hop costs more than it saves (and tripled p99).

What a handler receives is still decided by Connexion's own code (its URI parser converts path
and query parameters; the helpers of its ``get_arguments`` apply defaults and names, each
called only when the operation declares something it could yield), and its return value
becomes a response by Connexion's rules: ``body``, ``(body, status)`` or ``(body, status,
headers)``; ``None`` is no content; a list or dict is JSON, written by the app's jsonifier.
The specs declare JSON bodies only, so form data and files are never looked for.
"""

from __future__ import annotations

import functools
import typing as t

from connexion.apps.asynchronous import AsyncApi, AsyncApp, AsyncASGIApp
from connexion.decorators.parameter import (
    _get_body_argument, _get_path_arguments, _get_query_arguments,
    inspect_function_arguments, pythonic, sanitized, unwrap_decorators,
)
from connexion.jsonifier import Jsonifier
from connexion.lifecycle import ConnexionRequest
from connexion.operations import AbstractOperation
from connexion.utils import is_json_mimetype
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from .state import request_state

ResponseParts = t.Tuple[t.Any, t.Optional[int], dict]


class PreparedOperation:
    """One operation's handler call: everything that does not depend on the request, once."""

    def __init__(self, operation: AbstractOperation, *, jsonifier: Jsonifier,
                 pythonic_params: bool) -> None:
        self.operation = remember_body_definitions(operation)
        self.operation_id = operation.operation_id
        self.function = operation.function
        self.jsonifier = jsonifier
        # bytes straight from the app's FastJsonifier; any other jsonifier's text otherwise
        self._dumps = getattr(jsonifier, "dumps_bytes", jsonifier.dumps)
        self.uri_parser = operation.uri_parser_class(operation.parameters,
                                                     operation.body_definition())
        self.arguments, self.has_kwargs = inspect_function_arguments(
            unwrap_decorators(self.function))
        self.sanitize = _memoized(pythonic if pythonic_params else sanitized)
        self.takes_body = bool(operation.body_definition()) and (
            self.has_kwargs or self.sanitize(operation.body_name("application/json"))
            in self.arguments)
        # Connexion's get_arguments, minus the parts that can yield nothing for this
        # operation: query values when it declares no query parameter (undeclared ones are
        # never passed), the body when it declares none (or the handler takes no arguments),
        # and form files (the specs declare JSON bodies only).
        self.reads_query = any(p["in"] == "query" for p in operation.parameters)
        self.reads_body = operation.method.upper() != "TRACE" and bool(
            operation.is_request_body_defined) and bool(self.arguments or self.has_kwargs)
        produces = sorted(set(operation.produces))
        self.content_type = produces[0] if len(produces) == 1 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = request_state(scope)
        request = None  # built only when something below reads it
        path_params = state.path_params
        if path_params is None:
            request = ConnexionRequest(scope, receive, uri_parser=self.uri_parser)
            path_params = request.path_params
        if request is None and (self.reads_query or self.reads_body):
            request = ConnexionRequest(scope, receive, uri_parser=self.uri_parser)
        kwargs = _get_path_arguments(path_params, operation=self.operation,
                                     sanitize=self.sanitize)
        if self.reads_query:
            kwargs.update(_get_query_arguments(
                request.query_params, operation=self.operation, arguments=self.arguments,
                has_kwargs=self.has_kwargs, sanitize=self.sanitize))
        if self.reads_body:
            body = None
            if self.takes_body and is_json_mimetype(request.content_type):
                body = state.body if state.body_read else await request.json()
            kwargs.update(_get_body_argument(
                body, operation=self.operation, arguments=self.arguments,
                has_kwargs=self.has_kwargs, sanitize=self.sanitize,
                content_type=request.mimetype))
        kwargs = {self.sanitize(name): value for name, value in kwargs.items()}
        context = scope.get("extensions", {}).get("connexion_context", {})
        for name, value in context.items():
            if self.has_kwargs or name in self.arguments:
                kwargs[name] = value
        result = self.function(**kwargs)
        if hasattr(result, "__await__"):
            result = await result
        await self.response(result)(scope, receive, send)

    def response(self, result: t.Any) -> Response:
        if isinstance(result, Response):
            return result
        data, status, headers = _unpack(result)
        headers = dict(headers)
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"),
                            None)
        if content_type is None:
            content_type = self.content_type or ("application/json" if data is not None
                                                 else None)
            if content_type:
                headers["Content-Type"] = content_type
        if data is not None and content_type and is_json_mimetype(content_type.split(";")[0]):
            data = self._dumps(data)
        if status is None:
            status = 204 if data is None else 200
        return Response(content=data, status_code=status, media_type=content_type,
                        headers=headers)


def _unpack(result: t.Any) -> ResponseParts:
    """Connexion's handler-return forms: body, (body,), (body, status|headers), (body, s, h)."""
    if not isinstance(result, tuple):
        return result, None, {}
    if len(result) == 1:
        return result[0], None, {}
    if len(result) == 2:
        data, second = result
        return (data, int(second), {}) if isinstance(second, int) else (data, None, second)
    if len(result) == 3:
        data, status, headers = result
        return data, status, headers or {}
    raise TypeError("a handler returns body, (body, status) or (body, status, headers)")


def remember_body_definitions(operation: AbstractOperation) -> AbstractOperation:
    """Keep ``operation.body_definition(content_type)``'s answers on the operation itself.

    Connexion asks for it (and for ``body_schema``, built on it) several times per request,
    and each time looks the media type up in a new media-type table and resolves the schema's
    references again: the same answer for the same media type. Up to a few media types are
    kept (they come from the client's header)."""
    compute = operation.body_definition
    kept: dict = {}

    def body_definition(content_type: str | None = None) -> dict:
        found = kept.get(content_type)
        if found is None:
            found = compute(content_type)
            if len(kept) < 16:
                kept[content_type] = found
        return found

    operation.body_definition = body_definition
    return operation


def _memoized(function: t.Callable[[str], str]) -> t.Callable[[str], str]:
    """``function`` with its answers kept for the names seen most recently: the names come
    from the request too (Connexion sanitizes every query key a client sends), so the cache
    is bounded."""
    return functools.lru_cache(maxsize=256)(function)


class _PreparedApi(AsyncApi):
    def make_operation(self, operation: AbstractOperation) -> PreparedOperation:
        return PreparedOperation(operation, pythonic_params=self.pythonic_params,
                                 jsonifier=self.jsonifier)


class _PreparedASGIApp(AsyncASGIApp):
    api_cls = _PreparedApi


class PreparedAsyncApp(AsyncApp):
    """``AsyncApp`` serving every operation through ``PreparedOperation``."""

    def __init__(self, import_name: str, **kwargs) -> None:
        super().__init__(import_name, **kwargs)
        # AsyncApp made its own inner app, which the middleware stack holds but has not yet
        # used: APIs reach it only when the stack is built, at the first request.
        self._middleware_app = _PreparedASGIApp()
        self.middleware.app = self._middleware_app
