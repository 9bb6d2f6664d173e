"""A small JSON Schema (draft 2020-12) validator for the keywords slakit's schemas use.

The test extra has no jsonschema package; this covers exactly: type, const, enum,
minLength, minimum, maximum, properties, required, additionalProperties, propertyNames,
minProperties, maxProperties, items, minItems, uniqueItems, oneOf, format date and date-time.
An unknown keyword fails loudly, so a schema cannot use one this validator ignores.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}
_KNOWN = {"$schema", "title", "type", "const", "enum", "minLength", "minimum", "maximum",
          "properties", "required", "additionalProperties", "propertyNames", "minProperties",
          "maxProperties", "items", "minItems", "uniqueItems", "oneOf", "format"}


def errors(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """Every way ``value`` breaks ``schema`` (empty when it is valid)."""
    unknown = set(schema) - _KNOWN
    assert not unknown, f"validator does not know {unknown}"
    out: list[str] = []
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not errors(value, s, path)]
        if len(matching) != 1:
            out.append(f"{path}: matches {len(matching)} of oneOf")
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[k](value) for k in kinds):
            return [*out, f"{path}: {value!r} is not {kinds}"]
    if "const" in schema and value != schema["const"]:
        out.append(f"{path}: {value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            out.append(f"{path}: too short")
        if schema.get("format") == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                out.append(f"{path}: not a date")
        if schema.get("format") == "date-time":
            try:
                if datetime.fromisoformat(value).tzinfo is None:
                    out.append(f"{path}: no offset")
            except ValueError:
                out.append(f"{path}: not a date-time")
    if _TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            out.append(f"{path}: below minimum")
        if "maximum" in schema and value > schema["maximum"]:
            out.append(f"{path}: above maximum")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                out.append(f"{path}: missing {name!r}")
        if not schema.get("minProperties", 0) <= len(value) <= schema.get("maxProperties", 1e9):
            out.append(f"{path}: wrong number of properties")
        for name, item in value.items():
            if "propertyNames" in schema:
                out += errors(name, schema["propertyNames"], f"{path}.{name}(name)")
            if name in props:
                out += errors(item, props[name], f"{path}.{name}")
            elif schema.get("additionalProperties") is False:
                out.append(f"{path}: unexpected {name!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                out += errors(item, schema["additionalProperties"], f"{path}.{name}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append(f"{path}: too few items")
        if schema.get("uniqueItems") and len(set(map(repr, value))) != len(value):
            out.append(f"{path}: items not unique")
        for i, item in enumerate(value):
            if "items" in schema:
                out += errors(item, schema["items"], f"{path}[{i}]")
    return out
