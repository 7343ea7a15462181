"""Saved widget state: what JupyterLab and nbclient write into a notebook, and reading it back.

The notebook's ``metadata.widgets["application/vnd.jupyter.widget-state+json"]`` is (widget
state schema, version 2)::

    {"version_major": 2, "version_minor": 0,
     "state": {MODEL_ID: {"model_name": ..., "model_module": ..., "model_module_version": ...,
                          "state": {...without binary values...},
                          "buffers": [{"path": [...], "data": BASE64, "encoding": "base64"}]}}}

exactly as ipywidgets' ``Widget.get_manager_state()`` builds it (``buffers`` only when there
are some). Pure functions: no I/O, no kernel.
"""

from __future__ import annotations

import base64
import binascii
import copy
from collections.abc import Iterable, Mapping
from typing import Any

from tui.widgets.buffers import put_buffers, remove_buffers
from tui.widgets.model import WidgetModel

STATE_MIME = "application/vnd.jupyter.widget-state+json"
"""The key of the saved state inside ``metadata.widgets``."""


def model_entry(model: WidgetModel) -> dict[str, Any]:
    """One model's saved entry (``model_name``, modules, ``state``, ``buffers``)."""
    state, paths, buffers = remove_buffers(model.state)
    entry: dict[str, Any] = {
        "model_name": model.model_name,
        "model_module": model.model_module,
        "model_module_version": model.model_module_version,
        "state": state,
    }
    if buffers:
        entry["buffers"] = [
            {"encoding": "base64", "path": path, "data": base64.standard_b64encode(data).decode()}
            for path, data in zip(paths, buffers)
        ]
    return entry


def widget_state(models: Iterable[WidgetModel], *,
                 include_closed: bool = False) -> dict[str, Any]:
    """The saved state of ``models`` (a manager's ``models.values()``); closed ones are left
    out unless ``include_closed`` (nbclient keeps them), and so are models whose state never
    came (no ``_model_name``). The result is plain JSON data, independent of the models (a
    deep copy)."""
    state = {m.model_id: model_entry(m) for m in models
             if (include_closed or not m.closed) and "_model_name" in m.state}
    return {"version_major": 2, "version_minor": 0, "state": copy.deepcopy(state)}


def store_widget_state(metadata: dict[str, Any], models: Iterable[WidgetModel], *,
                       include_closed: bool = False) -> bool:
    """Write the saved state of ``models`` into a notebook's ``metadata`` (other entries of
    ``metadata.widgets`` are kept). Without models nothing is written, and a state saved
    earlier stays (as JupyterLab keeps it when the kernel is gone); True when written."""
    saved = widget_state(models, include_closed=include_closed)
    if not saved["state"]:
        return False
    widgets = metadata.get("widgets")
    if not isinstance(widgets, dict):
        widgets = metadata["widgets"] = {}
    widgets[STATE_MIME] = saved
    return True


def restore_models(metadata: Mapping[str, Any]) -> tuple[dict[str, WidgetModel], list[str]]:
    """Models (without a comm: static) from a notebook's saved widget state, and the problems
    found (an unknown version, entries without a state, undecodable buffers): bad entries are
    skipped, never fatal."""
    problems: list[str] = []
    widgets = metadata.get("widgets")
    saved = widgets.get(STATE_MIME) if isinstance(widgets, Mapping) else None
    if saved is None:
        return {}, problems
    if not isinstance(saved, Mapping) or saved.get("version_major") != 2:
        version = saved.get("version_major") if isinstance(saved, Mapping) else None
        return {}, [f"saved widget state of version {version!r} is not supported"]
    entries = saved.get("state")
    if not isinstance(entries, Mapping):
        return {}, ["saved widget state has no state dict"]
    models: dict[str, WidgetModel] = {}
    for model_id, entry in entries.items():
        state = entry.get("state") if isinstance(entry, Mapping) else None
        if not isinstance(model_id, str) or not isinstance(state, dict):
            problems.append(f"saved model {model_id!r:.40} has no state")
            continue
        state = copy.deepcopy(state)
        for key, field in (("_model_name", "model_name"), ("_model_module", "model_module"),
                           ("_model_module_version", "model_module_version")):
            if key not in state and isinstance(entry.get(field), str):
                state[key] = entry[field]
        paths, buffers = _decode_buffers(entry.get("buffers"), model_id, problems)
        problems.extend(put_buffers(state, paths, buffers))
        models[model_id] = WidgetModel(model_id, state, None, version="2.0.0")
    return models, problems


def _decode_buffers(raw: object, model_id: str,
                    problems: list[str]) -> tuple[list[Any], list[bytes]]:
    paths: list[Any] = []
    buffers: list[bytes] = []
    if raw is None:
        return paths, buffers
    if not isinstance(raw, list):
        problems.append(f"saved model {model_id}: buffers is not a list")
        return paths, buffers
    for item in raw:
        if not isinstance(item, Mapping) or not isinstance(item.get("data"), str):
            problems.append(f"saved model {model_id}: a buffer without data")
            continue
        try:
            if item.get("encoding", "base64") == "hex":
                data = bytes.fromhex(item["data"])
            else:
                data = base64.b64decode(item["data"], validate=True)
        except (ValueError, binascii.Error):
            problems.append(f"saved model {model_id}: a buffer that does not decode")
            continue
        paths.append(item.get("path"))
        buffers.append(data)
    return paths, buffers
