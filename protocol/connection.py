"""Connection files: what a kernel binds and a client connects to.

A connection file is JSON with the five ports (or ipc suffixes), ``ip``, ``transport``, ``key``,
``signature_scheme`` and optionally ``kernel_name`` and the CurveZMQ keys. We write it with mode
0600 (unlink first, then ``O_CREAT|O_EXCL``), in the Jupyter runtime dir, named
``kernel-<uuid4>.json``; the key is 256 random bits from ``os.urandom`` (what ``secrets`` uses) as
64 hex characters.

Port selection and its race: a port is free when we look and may be taken before the kernel binds
it. We shrink the window (bind all five at once, close them right before writing the file), keep a
process-wide set of ports already handed out so two kernels started by this process never collide,
and the manager retries with fresh ports if a kernel exits during startup complaining that the
address is in use.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from protocol.paths import ensure_runtime_dir, jupyter_runtime_dir

CHANNELS = ("shell", "iopub", "stdin", "control", "hb")
"""The five channels, in the order of their ``<name>_port`` keys."""

_KNOWN_KEYS = {
    "ip",
    "transport",
    "key",
    "signature_scheme",
    "kernel_name",
    "curve_publickey",
    "curve_secretkey",
    *(f"{c}_port" for c in CHANNELS),
}

_MAX_IPC_PATH = 107
"""Longest AF_UNIX socket path (sun_path is 108 bytes with the NUL on Linux)."""

_handed_out_ports: set[int] = set()
"""tcp ports this process already gave to a kernel (never handed out twice)."""


@dataclass(frozen=True)
class ConnectionInfo:
    """The content of a connection file."""

    shell_port: int
    iopub_port: int
    stdin_port: int
    control_port: int
    hb_port: int
    key: str
    ip: str = "127.0.0.1"
    transport: str = "tcp"
    signature_scheme: str = "hmac-sha256"
    kernel_name: str = ""
    curve_publickey: str | None = None
    curve_secretkey: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Keys we do not know, passed through unchanged."""

    def port(self, channel: str) -> int:
        """The port (tcp) or ipc suffix of ``channel``."""
        value: int = getattr(self, f"{channel}_port")
        return value

    def endpoint(self, channel: str) -> str:
        """The ZeroMQ endpoint of ``channel`` (``tcp://ip:port`` or ``ipc://ip-port``)."""
        port = self.port(channel)
        if self.transport == "ipc":
            return f"ipc://{self.ip}-{port}"
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"{self.transport}://{host}:{port}"

    @property
    def uses_curve(self) -> bool:
        """True when the kernel was given CurveZMQ keys."""
        return bool(self.curve_publickey and self.curve_secretkey)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of a connection file."""
        data: dict[str, Any] = dict(self.extra)
        data.update(
            shell_port=self.shell_port,
            iopub_port=self.iopub_port,
            stdin_port=self.stdin_port,
            control_port=self.control_port,
            hb_port=self.hb_port,
            ip=self.ip,
            key=self.key,
            transport=self.transport,
            signature_scheme=self.signature_scheme,
            kernel_name=self.kernel_name,
        )
        if self.curve_publickey is not None and self.curve_secretkey is not None:
            data["curve_publickey"] = self.curve_publickey
            data["curve_secretkey"] = self.curve_secretkey
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConnectionInfo:
        """Parse a connection file's JSON object; raises ValueError on missing/bad fields."""
        try:
            ports = {f"{c}_port": int(data[f"{c}_port"]) for c in CHANNELS}
        except KeyError as exc:
            raise ValueError(f"connection info lacks {exc.args[0]!r}") from None
        except (TypeError, ValueError):
            raise ValueError("connection info has a non-integer port") from None
        key = data.get("key", "")
        if isinstance(key, bytes):
            key = key.decode()
        transport = str(data.get("transport", "tcp"))
        if transport not in ("tcp", "ipc"):
            raise ValueError(f"unsupported transport {transport!r}")
        pub, sec = data.get("curve_publickey"), data.get("curve_secretkey")
        return cls(
            **ports,
            key=str(key),
            ip=str(data.get("ip", "127.0.0.1" if transport == "tcp" else "kernel-ipc")),
            transport=transport,
            signature_scheme=str(data.get("signature_scheme", "hmac-sha256")),
            kernel_name=str(data.get("kernel_name", "")),
            curve_publickey=pub.decode() if isinstance(pub, bytes) else pub,
            curve_secretkey=sec.decode() if isinstance(sec, bytes) else sec,
            extra={k: v for k, v in data.items() if k not in _KNOWN_KEYS},
        )


def new_key() -> str:
    """A fresh signing key: 256 random bits as 64 hex characters."""
    return os.urandom(32).hex()  # = secrets.token_hex(32), without importing hmac/random


def _uuid4() -> str:
    """A random (version 4) UUID string, as ``str(uuid.uuid4())``.

    Built here because importing :mod:`uuid` costs more than the rest of this module, and
    connection files are written on the way to launching a kernel.
    """
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def new_connection_file_path(runtime_dir: str | os.PathLike[str] | None = None) -> Path:
    """``<runtime dir>/kernel-<uuid4>.json`` (creating the runtime dir, 0700, if needed)."""
    directory = Path(runtime_dir) if runtime_dir is not None else ensure_runtime_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory / f"kernel-{_uuid4()}.json"


@contextlib.contextmanager
def _reserved_tcp_ports(ip: str, count: int) -> Iterator[list[int]]:
    """Bind ``count`` distinct, never-before-handed-out ports; close them on exit."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    held: list[socket.socket] = []
    ports: list[int] = []
    try:
        while len(ports) < count:
            sock = socket.socket(family, socket.SOCK_STREAM)
            # SO_LINGER {1, 0}: close without TIME_WAIT, so the kernel can bind right away.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.bind((ip, 0))
            held.append(sock)
            port = int(sock.getsockname()[1])
            if port in _handed_out_ports:
                continue  # keep it bound so the OS gives us another one
            ports.append(port)
        _handed_out_ports.update(ports)
        yield ports
    finally:
        for sock in held:
            sock.close()


def release_ports(info: ConnectionInfo) -> None:
    """Forget ``info``'s tcp ports (after the kernel using them is gone for good)."""
    if info.transport == "tcp":
        for channel in CHANNELS:
            _handed_out_ports.discard(info.port(channel))


def _free_ipc_suffixes(prefix: str, count: int) -> list[int]:
    suffixes: list[int] = []
    n = 1
    while len(suffixes) < count:
        if not Path(f"{prefix}-{n}").exists():
            suffixes.append(n)
        n += 1
    return suffixes


def _with_ports(numbers: list[int], **fields: Any) -> ConnectionInfo:
    shell, iopub, stdin, control, hb = numbers
    return ConnectionInfo(shell, iopub, stdin, control, hb, **fields)


def new_connection_info(
    *,
    transport: str = "tcp",
    ip: str | None = None,
    kernel_name: str = "",
    key: str | None = None,
    curve_keys: tuple[str, str] | None = None,
    ipc_prefix: str | None = None,
) -> ConnectionInfo:
    """Connection info with fresh ports (tcp) or ipc paths, and a fresh key.

    For tcp, ``ip`` defaults to loopback. For ipc, ``ipc_prefix`` (or ``ip``) is the path prefix
    of the socket files ``<prefix>-<n>``; keep it short (AF_UNIX paths are ~107 bytes at most).
    The ports are only reserved while this function runs; pass the result to the kernel at once.
    """
    key = new_key() if key is None else key
    pub, sec = curve_keys if curve_keys is not None else (None, None)
    if transport == "ipc":
        prefix = ipc_prefix or ip or str(Path(jupyter_runtime_dir(), f"k-{os.urandom(4).hex()}"))
        Path(prefix).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        numbers = _free_ipc_suffixes(prefix, len(CHANNELS))
        longest = len(f"{prefix}-{max(numbers)}".encode())
        if longest > _MAX_IPC_PATH:
            raise ValueError(
                f"ipc socket path {prefix}-N is {longest} bytes; the limit is {_MAX_IPC_PATH} "
                "(AF_UNIX): use a shorter prefix"
            )
        return _with_ports(
            numbers, key=key, ip=prefix, transport="ipc", kernel_name=kernel_name,
            curve_publickey=pub, curve_secretkey=sec,
        )
    if transport != "tcp":
        raise ValueError(f"unsupported transport {transport!r}")
    ip = ip or "127.0.0.1"
    with _reserved_tcp_ports(ip, len(CHANNELS)) as numbers:
        pass
    return _with_ports(
        numbers, key=key, ip=ip, transport="tcp", kernel_name=kernel_name,
        curve_publickey=pub, curve_secretkey=sec,
    )


def with_fresh_ports(info: ConnectionInfo) -> ConnectionInfo:
    """The same connection info (key, curve keys, name) with new ports."""
    fresh = new_connection_info(
        transport=info.transport, ip=info.ip if info.transport == "tcp" else None,
        ipc_prefix=info.ip if info.transport == "ipc" else None, key=info.key,
    )
    release_ports(info)
    return replace(
        info,
        shell_port=fresh.shell_port,
        iopub_port=fresh.iopub_port,
        stdin_port=fresh.stdin_port,
        control_port=fresh.control_port,
        hb_port=fresh.hb_port,
    )


def write_connection_file(info: ConnectionInfo, path: str | os.PathLike[str]) -> Path:
    """Write ``info`` to ``path`` with mode 0600 (replacing any existing file)."""
    target = Path(path)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        mode = stat.S_IMODE(os.fstat(f.fileno()).st_mode)
        if mode & 0o077 and os.name != "nt":
            raise PermissionError(f"connection file {target} is not private (mode {mode:o})")
        json.dump(info.to_dict(), f, indent=1)
        f.write("\n")
    return target


def read_connection_file(path: str | os.PathLike[str]) -> ConnectionInfo:
    """Read a connection file; raises ValueError (with the path) if it is not one."""
    target = Path(path)
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{target}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{target}: not a JSON object")
    try:
        return ConnectionInfo.from_dict(data)
    except ValueError as exc:
        raise ValueError(f"{target}: {exc}") from None


def cleanup_ipc_files(info: ConnectionInfo) -> None:
    """Delete the socket files of an ipc kernel."""
    if info.transport != "ipc":
        return
    for channel in CHANNELS:
        with contextlib.suppress(OSError):
            Path(f"{info.ip}-{info.port(channel)}").unlink()


def _not_stale(path: Path) -> Path:
    """``path``, unless it is a stale connection file of ours (FileNotFoundError then)."""
    from protocol.owner import stale_owner

    owner = stale_owner(path)
    if owner is not None:
        raise FileNotFoundError(
            f"{path}: its kernel is gone (process {owner}, which started it, has exited)"
        )
    return path


def find_connection_file(name: str | None = None, *, runtime_dir: str | None = None) -> Path:
    """Resolve ``--existing`` style names to a connection file.

    ``name`` may be a path (absolute or relative to the cwd), a file name in the runtime dir
    (with or without ``.json``), or a fragment matched as ``*name*`` there; several matches pick
    the most recently modified (jupyter_client uses the access time, which ``relatime`` mounts
    seldom update). ``None`` picks the newest ``kernel-*.json``. Stale files of ours (their
    kernel died with the process that started it, see :mod:`protocol.owner`) are skipped when
    matching and refused when named. Raises FileNotFoundError with the places searched.
    """
    directory = Path(runtime_dir or jupyter_runtime_dir())
    if name is not None:
        candidate = Path(name).expanduser()
        if candidate.is_file():
            return _not_stale(candidate.resolve())
        for base in (Path.cwd(), directory):
            for variant in (name, f"{name}.json"):
                path = base / variant
                if path.is_file():
                    return _not_stale(path.resolve())
        pattern = f"*{name}*"
    else:
        pattern = "kernel-*.json"
    from protocol.owner import stale_owner

    matches = [p for p in directory.glob(pattern) if p.is_file()] if directory.is_dir() else []
    live = [p for p in matches if stale_owner(p) is None]
    if not live:
        what = repr(name) if name is not None else "any kernel"
        skipped = f" ({len(matches)} stale ones skipped: their kernels are gone)" if matches else ""
        raise FileNotFoundError(
            f"no connection file for {what} in {Path.cwd()} or {directory}{skipped}"
        )
    return max(live, key=lambda p: p.stat().st_mtime).resolve()
