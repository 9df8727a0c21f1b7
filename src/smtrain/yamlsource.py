"""YAML text to plain data plus the line every key came from.

PyYAML's ``safe_load`` forgets where values were written and silently keeps the
last of two duplicate keys. Composing the node tree first keeps both: each key's
dotted path (``inputs.train.uri``) maps to ``<label>:<line>``, and duplicates are
reported instead of dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from smtrain.errors import Problem

_BOOL_TAG = "tag:yaml.org,2002:bool"
# Far beyond any job spec. Aliases let a few hundred bytes stand for billions
# of values (a "billion laughs" file); counting every value as the tree is
# walked, aliases expanded, stops that before anything builds on the data.
MAX_VALUES = 10_000
MAX_DEPTH = 40
_TOO_MANY_HINT = "a job spec needs far fewer; look for aliases (*name) repeating blocks"
_TOO_DEEP_HINT = "a job spec nests a few levels; look for unclosed [ or {"


class _TooLarge(Exception):
    """The document expands beyond ``MAX_VALUES`` values or ``MAX_DEPTH`` levels."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.hint = hint


class _CoreSchemaLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, not yes/no/on/off.

    YAML 1.1 turns ``country: NO`` into false and ``use-spot: yes`` into true;
    in a CI config that is more often a surprise than an intent.
    """


_CoreSchemaLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_CoreSchemaLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class ParsedYaml:
    """The document's data, where each key path was written, and what was wrong."""

    data: Any = None
    locations: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    values_seen: int = 0


def join_key(parent: str, child: str | int) -> str:
    """``inputs`` + ``train`` -> ``inputs.train``; list items as ``[0]``."""
    if isinstance(child, int):
        return f"{parent}[{child}]"
    return f"{parent}.{child}" if parent else child


def parse_yaml(text: str, label: str, *, root_key: str = "") -> ParsedYaml:
    """Parse one YAML document; ``label`` names it in locations (``job.yml``)."""
    result = ParsedYaml()
    try:
        loader = _CoreSchemaLoader(text)
    except yaml.reader.ReaderError as error:
        # The reader refuses control characters before any parsing starts.
        code = f"#x{error.character:04x}"
        message = f"not valid YAML: character {code} is not allowed"
        hint = "remove control characters; write them as escapes in quotes"
        result.problems.append(Problem(root_key or "(file)", message, label, hint))
        return result
    try:
        node = loader.get_single_node()
        if node is not None:
            _walk(node, root_key, label, result, depth=0)
            result.data = loader.construct_document(node)
    except _TooLarge as error:
        result.problems.append(
            Problem(root_key or "(file)", str(error), label, error.hint)
        )
        result.data = None
    except RecursionError:
        # PyYAML's composer recurses once per level, so a deep enough file
        # overflows the stack before the walk can count its levels.
        reason = f"is nested more than {MAX_DEPTH} levels deep"
        result.problems.append(
            Problem(root_key or "(file)", reason, label, _TOO_DEEP_HINT)
        )
        result.data = None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{label}:{mark.line + 1}" if mark else label
        reason = error.problem or error.context or "not valid YAML"
        result.problems.append(
            Problem(
                root_key or "(file)",
                f"not valid YAML: {reason}",
                where,
                "check indentation, colons and quotes on that line",
            )
        )
        result.data = None
    except yaml.YAMLError as error:
        result.problems.append(
            Problem(root_key or "(file)", f"not valid YAML: {error}", label)
        )
        result.data = None
    finally:
        loader.dispose()
    return result


def _walk(
    node: yaml.Node, path: str, label: str, result: ParsedYaml, depth: int
) -> None:
    result.values_seen += 1
    if result.values_seen > MAX_VALUES:
        reason = f"expands to more than {MAX_VALUES:,} values"
        raise _TooLarge(reason, _TOO_MANY_HINT)
    if depth > MAX_DEPTH:
        reason = f"is nested more than {MAX_DEPTH} levels deep"
        raise _TooLarge(reason, _TOO_DEEP_HINT)
    if path:
        result.locations.setdefault(path, f"{label}:{node.start_mark.line + 1}")
    if isinstance(node, yaml.MappingNode):
        _walk_mapping(node, path, label, result, depth)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, join_key(path, index), label, result, depth + 1)


def _walk_mapping(
    node: yaml.MappingNode, path: str, label: str, result: ParsedYaml, depth: int
) -> None:
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key = str(key_node.value)
        child = join_key(path, key)
        line = key_node.start_mark.line + 1
        if key in seen:
            result.problems.append(
                Problem(
                    child,
                    f"is set twice (lines {seen[key]} and {line})",
                    f"{label}:{line}",
                    "keep one of them; YAML would silently use the last",
                )
            )
            continue
        seen[key] = line
        result.locations[child] = f"{label}:{line}"
        _walk(value_node, child, label, result, depth + 1)
