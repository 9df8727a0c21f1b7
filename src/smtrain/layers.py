"""The three places a spec value can come from, and how they stack.

A ``Layer`` is raw data (kebab-case keys, not yet validated) plus where each key
path was written. ``load_spec`` stacks them: the YAML file, then the action
inputs, then ``--set``; a later layer wins key by key, and mappings merge entry
by entry so ``--set hyperparameters.lr=0.1`` keeps the other hyperparameters.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smtrain.errors import Problem
from smtrain.yamlsource import join_key, parse_yaml

# Keys whose action-input or --set text is YAML/JSON rather than one scalar.
STRUCTURED_KEYS = frozenset(
    {"hyperparameters", "inputs", "tags", "environment", "metric-definitions", "tuning"}
)

# Keys whose value is a mapping that ``--set a.b=c`` can reach into.
MAPPING_KEYS = frozenset({"hyperparameters", "inputs", "tags", "environment", "tuning"})


@dataclass
class Layer:
    data: dict[str, Any] = field(default_factory=dict)
    locations: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Set when the source could not be read at all; other problems do not stop
    # validation, so all of them are reported together.
    unreadable: bool = False
    # Relative local paths in this layer are relative to this folder.
    base_dir: Path = field(default_factory=Path.cwd)


def file_layer(file: Path) -> Layer:
    """The YAML file: every key located at ``file:line``."""
    label = str(file)
    try:
        # utf-8-sig: editors on Windows may start the file with a byte-order mark.
        text = file.read_text(encoding="utf-8-sig")
    except OSError as error:
        reason = error.strerror or str(error)
        problem = Problem("(file)", f"cannot read it: {reason}", label)
        return Layer(problems=[problem], unreadable=True)
    except UnicodeDecodeError as error:
        hint = "save it as UTF-8 text; a job spec is a YAML file"
        problem = Problem(
            "(file)", f"is not UTF-8 text (byte {error.start + 1})", label, hint
        )
        return Layer(problems=[problem], unreadable=True)
    parsed = parse_yaml(text, label)
    layer = Layer(
        locations=parsed.locations,
        problems=parsed.problems,
        base_dir=file.resolve().parent,
    )
    if parsed.data is None and parsed.problems:
        layer.unreadable = True
    elif parsed.data is None:
        hint = "add at least image-uri (or framework), role-arn and output-path"
        layer.problems.append(Problem("(file)", "is empty", label, hint))
        layer.unreadable = True
    elif not isinstance(parsed.data, dict):
        kind = type(parsed.data).__name__
        hint = "write one key: value per line, e.g. instance-type: ml.m5.large"
        layer.problems.append(
            Problem("(file)", f"must be a mapping of keys, not a {kind}", label, hint)
        )
        layer.unreadable = True
    else:
        layer.data = {str(k): v for k, v in parsed.data.items()}
    return layer


def action_input_layer(inputs: Mapping[str, str]) -> Layer:
    """Action inputs: kebab-case key to raw text; empty text means unset."""
    layer = Layer()
    for key, text in inputs.items():
        if text == "":
            continue
        label = f"input {key}"
        if key in STRUCTURED_KEYS:
            _set_structured(layer, key, text, label)
        else:
            layer.data[key] = text
            layer.locations[key] = label
    return layer


def set_layer(overrides: Sequence[str]) -> Layer:
    """``--set KEY=VALUE`` items; dotted keys reach into mappings."""
    layer = Layer()
    for item in overrides:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            hint = "write --set KEY=VALUE, e.g. --set instance-count=2"
            layer.problems.append(
                Problem(item or "--set", "expected KEY=VALUE", "--set", hint)
            )
            continue
        _apply_set(layer, key, text)
    return layer


def _apply_set(layer: Layer, key: str, text: str) -> None:
    head, _, rest = key.partition(".")
    if not rest:
        if key in STRUCTURED_KEYS:
            _set_structured(layer, key, text, "--set")
        else:
            layer.data[key] = None if text == "" else text
            layer.locations[key] = "--set"
        return
    if head not in MAPPING_KEYS:
        hint = f"dotted keys reach into {', '.join(sorted(MAPPING_KEYS))}"
        layer.problems.append(Problem(key, f"{head} is not a mapping", "--set", hint))
        return
    parsed = parse_yaml(text, "--set", root_key=key)
    layer.problems += parsed.problems
    if parsed.problems:
        return
    _set_path(layer.data, [head, *rest.split(".")], parsed.data)
    layer.locations[key] = "--set"


def _set_structured(layer: Layer, key: str, text: str, label: str) -> None:
    parsed = parse_yaml(text, label, root_key=key)
    layer.problems += parsed.problems
    if parsed.problems:
        return
    layer.data[key] = parsed.data
    if "\n" in text.strip():
        # A multi-line input keeps the line inside it: "input inputs:3".
        layer.locations.update(parsed.locations)
    else:
        layer.locations.update(dict.fromkeys(parsed.locations, label))
    layer.locations[key] = label


def _set_path(data: dict[str, Any], parts: list[str], value: Any) -> None:
    node = data
    for index, part in enumerate(parts[:-1]):
        child = node.get(part)
        if isinstance(child, str) and index == 1 and parts[0] == "inputs":
            child = {"uri": child}  # channel shorthand grows into a mapping
        if not isinstance(child, dict):
            child = {}
        node[part] = child
        node = child
    node[parts[-1]] = value


def merge_layers(layers: Sequence[Layer]) -> Layer:
    """Stack layers in order; later ones win, mappings merge recursively."""
    merged = Layer()
    for layer in layers:
        merged.problems += layer.problems
        merged.unreadable |= layer.unreadable
        data = copy.deepcopy(layer.data)
        resolve_local_paths(data, layer.base_dir)
        _merge_into(merged, data, layer.locations, "")
    return merged


def _merge_into(
    merged: Layer, data: dict[str, Any], locations: dict[str, str], prefix: str
) -> None:
    target = _subtree(merged.data, prefix)
    for key, value in data.items():
        path = join_key(prefix, key)
        existing = target.get(key)
        if prefix == "inputs" and isinstance(existing, str) and isinstance(value, dict):
            existing = target[key] = {"uri": existing}  # shorthand grows a mapping
        # Top-level mappings and channels merge; a hyperparameter's mapping is a value.
        mergeable = prefix in ("", "inputs")
        if mergeable and isinstance(value, dict) and isinstance(existing, dict):
            if path in locations:
                merged.locations.setdefault(path, locations[path])
            _merge_into(merged, value, locations, path)
            continue
        _forget(merged.locations, path)
        merged.locations.update(
            {p: where for p, where in locations.items() if _is_within(p, path)}
        )
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value


def _subtree(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    node = data
    for part in prefix.split(".") if prefix else []:
        node = node[part]
    return node


def _is_within(path: str, root: str) -> bool:
    return path == root or path.startswith((root + ".", root + "["))


def _forget(locations: dict[str, str], root: str) -> None:
    for path in [p for p in locations if _is_within(p, root)]:
        del locations[path]


def resolve_local_paths(data: dict[str, Any], base_dir: Path) -> None:
    """Make relative local paths absolute against ``base_dir``, in place."""
    for key in ("source-dir", "local-root"):
        if isinstance(data.get(key), str):
            data[key] = str((base_dir / Path(data[key]).expanduser()).resolve())
    output = data.get("output-path")
    if isinstance(output, str) and "://" not in output:
        data["output-path"] = str((base_dir / Path(output).expanduser()).resolve())
    channels = data.get("inputs")
    if isinstance(channels, dict):
        for name, channel in channels.items():
            if isinstance(channel, str):
                channels[name] = absolute_uri(channel, base_dir)
            elif isinstance(channel, dict) and isinstance(channel.get("uri"), str):
                channel["uri"] = absolute_uri(channel["uri"], base_dir)


def absolute_uri(uri: str, base_dir: Path) -> str:
    """``file://data`` or ``data`` -> an absolute path; remote URIs unchanged."""
    if uri.startswith("file://"):
        local = uri.removeprefix("file://")
        return "file://" + str((base_dir / Path(local).expanduser()).resolve())
    if "://" in uri or not uri:
        return uri
    return str((base_dir / Path(uri).expanduser()).resolve())
