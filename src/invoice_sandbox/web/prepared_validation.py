"""Connexion's request validation, with its per-operation parts built once.

Connexion's ``RequestValidationOperation`` builds, on every request, two URI parsers, a
parameter validator, a media-type table of what the operation consumes and a body validator,
and resolves the operation's body schema again. None of that depends on the request but the
media type and charset it declares, so here each is built once per operation (a body validator
once per media type and charset seen, and the parse of a ``Content-Type`` value once per value,
up to a few). What is checked, in what order, and with which validator classes (the app's
``validator_map``) is as in Connexion's own ``__call__``.
"""

from __future__ import annotations

import typing as t

from connexion import utils
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import UnsupportedMediaTypeProblem
from connexion.middleware.request_validation import (
    RequestValidationAPI, RequestValidationMiddleware, RequestValidationOperation, logger,
)
from connexion.operations import AbstractOperation
from starlette.types import Receive, Scope, Send

from .operations import remember_body_definitions

_NO_VALIDATOR = object()
_KEEP = 16
"""Body validators kept per operation: media type and charset come from the client, so the
table is bounded (a request beyond it gets a validator built for it alone)."""


class PreparedRequestValidationOperation(RequestValidationOperation):
    def __init__(self, next_app, *, operation: AbstractOperation, **kwargs) -> None:
        super().__init__(next_app, operation=remember_body_definitions(operation), **kwargs)
        uri_parser = operation._uri_parser_class(operation.parameters,
                                                 operation.body_definition())
        self._parameter_validator = self._validator_map["parameter"](
            operation.parameters, uri_parser=uri_parser,
            strict_validation=self.strict_validation,
            security_query_params=self.security_query_params,
        )
        self._consumes = MediaTypeDict([(c.lower(), None) for c in operation.consumes])
        self._body_validators: dict[tuple[str, str], t.Any] = {}
        self._content_types: dict[bytes | None, tuple[str, str]] = {}
        self._accepted: set[str] = set()

    def extract_content_type(self, headers: list) -> tuple[str, str]:
        """Connexion's answer for the request's ``Content-Type`` value, kept per value seen
        (ASGI header names are lower-case bytes, as the limits middleware also relies on)."""
        raw = next((value for name, value in headers if name == b"content-type"), None)
        found = self._content_types.get(raw)
        if found is None:
            found = super().extract_content_type([] if raw is None else [(b"content-type", raw)])
            if len(self._content_types) < _KEEP:
                self._content_types[raw] = found
        return found

    def validate_mime_type(self, mime_type: str) -> None:
        if mime_type in self._accepted:
            return
        if self._operation.consumes and mime_type.lower() not in self._consumes:
            raise UnsupportedMediaTypeProblem(
                detail=f"Invalid Content-type ({mime_type}), "
                f"expected {self._operation.consumes}"
            )
        if len(self._accepted) < _KEEP:
            self._accepted.add(mime_type)

    def body_validator(self, mime_type: str, encoding: str) -> t.Any:
        """The body validator for this media type and charset (None: nothing to validate)."""
        key = (mime_type, encoding)
        validator = self._body_validators.get(key, _NO_VALIDATOR)
        if validator is _NO_VALIDATOR:
            validator = self._make_body_validator(*key)
            if len(self._body_validators) < _KEEP:
                self._body_validators[key] = validator
        return validator

    def _make_body_validator(self, mime_type: str, encoding: str) -> t.Any:
        operation = self._operation
        schema = operation.body_schema(mime_type)
        if not schema:
            return None
        validator_class = self._validator_map["body"].get(mime_type)  # type: ignore
        if validator_class is None:
            logger.info(f"Skipping validation. No validator registered for content type: "
                        f"{mime_type}.")
            return None
        return validator_class(
            schema=schema,
            required=operation.request_body.get("required", False),
            nullable=utils.is_nullable(operation.body_definition(mime_type)),
            encoding=encoding,
            strict_validation=self.strict_validation,
            uri_parser=operation.uri_parser_class(operation.parameters,
                                                  operation.body_definition()),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._parameter_validator.validate(scope)
        mime_type, encoding = self.extract_content_type(scope["headers"])
        self.validate_mime_type(mime_type)
        validator = self.body_validator(mime_type, encoding)
        if validator is not None:
            receive, scope = await validator.wrap_receive(receive, scope=scope)
        await self.next_app(scope, receive, send)


class _PreparedAPI(RequestValidationAPI):
    def make_operation(self, operation: AbstractOperation) -> RequestValidationOperation:
        return PreparedRequestValidationOperation(
            self.next_app, operation=operation, strict_validation=self.strict_validation,
            validator_map=self.validator_map,
        )


class PreparedRequestValidationMiddleware(RequestValidationMiddleware):
    api_cls = _PreparedAPI
