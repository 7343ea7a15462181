"""What the Jupyter Server REST API returns, as small typed records (with the raw JSON kept).

``from_json`` never raises on odd field types: a server's extra or missing fields become
defaults, so a newer server or a gateway does not break listing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["KernelModel", "KernelSpecModel", "SessionModel"]


def _s(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _d(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class KernelModel:
    """A running kernel: ``GET /api/kernels`` items."""

    id: str
    name: str
    execution_state: str = ""
    last_activity: str = ""
    connections: int = 0
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> KernelModel:
        """The model for one JSON kernel object."""
        d = _d(data)
        connections = d.get("connections")
        return cls(_s(d.get("id")), _s(d.get("name")), _s(d.get("execution_state")),
                   _s(d.get("last_activity")),
                   connections if isinstance(connections, int) else 0, d)


@dataclass(frozen=True)
class SessionModel:
    """A session (a path bound to a kernel): ``GET /api/sessions`` items."""

    id: str
    path: str
    name: str
    type: str
    kernel: KernelModel | None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> SessionModel:
        """The model for one JSON session object."""
        d = _d(data)
        kernel = d.get("kernel")
        path = d.get("path") or _d(d.get("notebook")).get("path")
        return cls(_s(d.get("id")), _s(path), _s(d.get("name")), _s(d.get("type")),
                   KernelModel.from_json(kernel) if isinstance(kernel, dict) else None, d)


@dataclass(frozen=True)
class KernelSpecModel:
    """One kernelspec the server offers: ``GET /api/kernelspecs`` values."""

    name: str
    display_name: str
    language: str
    spec: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, name: str, data: Any) -> KernelSpecModel:
        """The model for one entry of the ``kernelspecs`` object."""
        d = _d(data)
        spec = _d(d.get("spec"))
        return cls(_s(d.get("name")) or name, _s(spec.get("display_name")) or name,
                   _s(spec.get("language")), spec)
