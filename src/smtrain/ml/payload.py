"""Request bodies (CSV, JSON, JSON lines) read into a table of raw values.

The table keeps the client's column names when it sent any (a CSV header, record
keys, split-style ``columns``) and is positional otherwise; ``feature_columns``
matches it to the model's features. Nothing here knows about the model, so
whether a CSV payload's first row is a header is left to ``feature_columns``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from smtrain.ml.inference_errors import RequestError, UnsupportedContentTypeError

CSV = "text/csv"
JSON = "application/json"
JSON_LINES = "application/jsonlines"
# Spellings clients use for the same three formats.
CONTENT_TYPES = {
    CSV: CSV,
    "application/csv": CSV,
    JSON: JSON,
    JSON_LINES: JSON_LINES,
    "application/x-jsonlines": JSON_LINES,
    "application/jsonl": JSON_LINES,
    "application/x-ndjson": JSON_LINES,
}
_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class RawTable:
    """Rows of raw values; ``columns`` is None when rows follow the feature order.

    ``may_have_header`` marks CSV, whose first row is a header only if it names
    model columns, which only the model's metadata can tell.
    """

    columns: list[str] | None
    rows: list[list[Any]]
    may_have_header: bool = False


def media_type(header: str | None) -> str:
    """``text/csv`` from ``Text/CSV; charset=utf-8``; empty for a missing header."""
    return (header or "").split(";", 1)[0].strip().lower()


def parse_payload(body: bytes | str, content_type: str | None) -> RawTable:
    """Read ``body`` as ``content_type``: CSV, JSON or JSON lines."""
    kind = CONTENT_TYPES.get(media_type(content_type))
    if kind is None:
        raise UnsupportedContentTypeError(
            f"unsupported Content-Type {content_type or '(none)'!r}; send one of "
            f"{CSV}, {JSON} or {JSON_LINES}"
        )
    text = _decode(body)
    if kind == CSV:
        table = _read_csv(text)
    elif kind == JSON:
        table = _read_json(_load_json(text, "the body"))
    else:
        table = _read_json_lines(text)
    if not table.rows:
        raise RequestError("the payload has no rows")
    return table


def _decode(body: bytes | str) -> str:
    if isinstance(body, str):
        return body.removeprefix("\ufeff")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RequestError(
            f"the payload is not UTF-8 text (byte {error.start} cannot be decoded)"
        ) from None


def _read_csv(text: str) -> RawTable:
    try:
        rows = [row for row in csv.reader(io.StringIO(text)) if row]
    except csv.Error as error:
        raise RequestError(f"the CSV payload cannot be parsed: {error}") from None
    return RawTable(None, rows, may_have_header=True)


def _load_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        # The parser recurses once per [ or {; a body of brackets overflows it.
        raise RequestError(f"{where} is nested too deeply") from None
    except ValueError as error:
        if "int_max_str_digits" in str(error):
            # Python's own advice (raise the limit) is not the client's to take.
            message = f"{where} holds a number with more than 4300 digits"
            raise RequestError(message) from None
        raise RequestError(f"{where} is not valid JSON: {error}") from None


def _read_json(document: Any) -> RawTable:
    if isinstance(document, dict) and "instances" in document:
        return _read_items(document["instances"], '"instances"')
    if isinstance(document, dict) and "columns" in document and "data" in document:
        return _read_split(document["columns"], document["data"])
    if isinstance(document, dict):
        return _read_items([document], "the record")
    return _read_items(document, "the body")


def _read_split(columns: Any, data: Any) -> RawTable:
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise RequestError('"columns" must be a list of column names')
    table = _read_items(data, '"data"')
    if table.columns is not None:
        raise RequestError('"data" must be a list of rows, each a list of values')
    for number, row in enumerate(table.rows, start=1):
        if len(row) != len(columns):
            raise RequestError(
                f'"data" row {number} has {len(row)} values; "columns" names '
                f"{len(columns)}"
            )
    return RawTable(list(columns), table.rows)


def _read_items(items: Any, where: str) -> RawTable:
    """A list of records, a list of value lists, or one flat list of values."""
    if not isinstance(items, list):
        raise RequestError(f"{where} must be a list of records or of value lists")
    if items and all(isinstance(item, _SCALARS) for item in items):
        items = [items]
    if all(isinstance(item, dict) for item in items):
        return _records_table(items, where)
    if all(isinstance(item, list) for item in items):
        for number, row in enumerate(items, start=1):
            _check_scalars(row, f"{where} row {number}")
        return RawTable(None, items)
    raise RequestError(f"{where} mixes records and value lists; send one kind")


def _records_table(records: list[dict[str, Any]], where: str) -> RawTable:
    columns = list(dict.fromkeys(key for record in records for key in record))
    for number, record in enumerate(records, start=1):
        _check_scalars(list(record.values()), f"{where} {number}")
    rows = [[record.get(name) for name in columns] for record in records]
    return RawTable(columns, rows)


def _check_scalars(values: list[Any], where: str) -> None:
    for value in values:
        if not isinstance(value, _SCALARS):
            raise RequestError(
                f"{where} holds a nested {type(value).__name__}; values must be "
                "strings, numbers, booleans or null"
            )


def _read_json_lines(text: str) -> RawTable:
    items = [
        _load_json(line, f"JSON line {number}")
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
    if any(not isinstance(item, (dict, list)) for item in items):
        raise RequestError("each JSON line must be one record object or value list")
    return _read_items(items, "JSON line")
