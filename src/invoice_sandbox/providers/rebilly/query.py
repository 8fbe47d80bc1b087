"""Rebilly's list parameters: ``filter`` (field:value[,value];...), ``sort`` (-field,...)."""

from __future__ import annotations

from ...errors import FieldError, InvalidRequest


def apply_filter(records: list[dict], expression: str | None) -> list[dict]:
    if not expression:
        return records
    conditions = []
    for part in filter(None, expression.split(";")):
        field, sep, values = part.partition(":")
        if not sep or not field:
            raise InvalidRequest([FieldError("filter", f"Malformed condition {part!r}.")])
        conditions.append((field, set(values.split(","))))
    return [r for r in records if all(str(r.get(f)) in vals for f, vals in conditions)]


def apply_sort(records: list[dict], expression: str | None) -> list[dict]:
    if not expression:
        return records
    for key in reversed([k for k in expression.split(",") if k]):
        field = key.lstrip("-")
        records = sorted(records, key=lambda r: (r.get(field) is None, str(r.get(field))),
                         reverse=key.startswith("-"))
    return records


def page(records: list, limit: int, offset: int) -> list:
    return records[offset: offset + limit]
