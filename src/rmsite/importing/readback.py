"""The edited cohort file read back for its data alone, to verify the edit.

The cohort's rules are located by located.py (the file before the edit, and the export's
rows), so reading the edited text back needs no line and column for its values: this is
rmsite's own plain reading (source/yaml_marks.py: plain_document) without the marks, in
about half the time for a large file. It reads a plain document exactly as that does and
returns None for anything else (anchors, tags, a repeated or merge key, a control character
written as an escape, past the bounds), which then is read by rmsite's reader in full, with
its problems."""

from __future__ import annotations

from typing import Any

import yaml

from rmsite.source.yaml_marks import CONTROL, MAX_YAML_DEPTH, MAX_YAML_NODES, NOT_YAML_TEXT, PLAIN_TAGS, STR_TAG

LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml's events, PyYAML's resolver and constructor


def plain_data(text: str) -> dict[str, Any] | None:
    """The data of a plain YAML document whose top level is a mapping, as rmsite's reader
    makes it; None when the text is anything else (then read it with rmsite's reader)."""
    if LOADER is None or NOT_YAML_TEXT.search(text):
        return None
    loader = LOADER(text)
    get, resolve, construct = loader.get_event, loader.resolve, loader.construct_object
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    stack: list[list[Any]] = []  # open collections: [value, is a mapping, key awaiting its value]
    count = 0
    root: Any = None
    try:
        if type(get()) is not yaml.StreamStartEvent or type(get()) is not yaml.DocumentStartEvent:
            return None
        while True:
            event = get()
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                if stack:
                    continue
                break
            if kind is not scalar_event and kind is not mapping_start and kind is not sequence_start:
                return None  # an alias, or a document with no value
            if event.anchor is not None or event.tag is not None or len(stack) >= MAX_YAML_DEPTH:
                return None
            count += 1
            if count > MAX_YAML_NODES:
                return None
            frame = stack[-1] if stack else None
            if frame is not None and frame[1] and frame[2] is None:  # this value is a key
                if kind is not scalar_event or event.value in frame[0] or (event.value == "<<" and event.implicit[0]):
                    return None  # a key that is a collection, a repeated key, a merge key
                frame[2] = event.value
                continue
            value: Any
            if kind is scalar_event:
                tag = resolve(yaml.ScalarNode, event.value, event.implicit)
                if tag == STR_TAG:
                    if event.style == '"' and CONTROL.search(event.value):
                        return None
                    value = event.value
                elif tag in PLAIN_TAGS:
                    value = construct(yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))
                else:
                    return None
            else:
                value = {} if kind is mapping_start else []
            if frame is None:
                if kind is scalar_event:
                    return None  # not a mapping
                root = value
            elif frame[1]:
                frame[0][frame[2]] = value
                frame[2] = None
            else:
                frame[0].append(value)
            if kind is not scalar_event:
                stack.append([value, kind is mapping_start, None])
        if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
            return None
    except (yaml.YAMLError, ValueError, OverflowError, TypeError):
        return None
    finally:
        loader.dispose()
    return root if isinstance(root, dict) else None
