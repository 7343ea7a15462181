"""CurveZMQ transport encryption (optional, as in jupyter_client 8.9+ and ipykernel 7.3+).

When a kernel is started with encryption, its connection file carries a Z85 keypair
(``curve_publickey``, ``curve_secretkey``). The kernel's sockets are Curve servers with that
keypair; a client sets ``curve_serverkey`` to the public key on every socket and uses the same
keypair as its own (jupyter_client does this for shell, iopub, stdin and control), with a fresh
ephemeral keypair for the heartbeat. The HMAC key still signs every message.

Policy (``encryption=`` of :meth:`protocol.manager.KernelManager.start`):

- ``"auto"`` (default): encrypt when libzmq has Curve and the kernelspec lists ``"curve"`` in
  ``metadata.supported_encryption`` (ipykernel 7.4's spec does; bash_kernel's and xeus-python's
  do not, so they run unencrypted);
- ``"off"``: never;
- ``"require"``: encrypt, or raise :class:`~protocol.errors.EncryptionUnavailable` with the reason
  (libzmq without Curve, or a kernelspec that does not declare it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from protocol.errors import EncryptionUnavailable

if TYPE_CHECKING:
    import zmq

    from protocol.connection import ConnectionInfo
    from protocol.kernelspec import KernelSpec

MODES = ("auto", "off", "require")


def curve_available() -> bool:
    """True if this libzmq supports CurveZMQ."""
    import zmq  # not at module level: deciding not to encrypt must not load pyzmq

    return bool(zmq.has("curve"))


def new_keypair() -> tuple[str, str]:
    """A fresh Z85 (public, secret) keypair as ASCII strings."""
    import zmq

    public, secret = zmq.curve_keypair()
    return public.decode("ascii"), secret.decode("ascii")


def should_encrypt(spec: KernelSpec, mode: str) -> bool:
    """Decide whether to start ``spec`` with Curve under ``mode`` (see the module docstring)."""
    if mode not in MODES:
        raise ValueError(f"encryption must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "off":
        return False
    supported = "curve" in spec.supported_encryption
    if mode == "auto":
        return supported and curve_available()
    if not curve_available():
        raise EncryptionUnavailable(
            "transport encryption is required but this libzmq has no CurveZMQ support"
        )
    if not supported:
        raise EncryptionUnavailable(
            f"transport encryption is required but kernel {spec.name!r} does not support it "
            "(its kernelspec has no \"curve\" in metadata.supported_encryption); "
            "use encryption='auto' or 'off' to run it unencrypted"
        )
    return True


def apply_client_curve(sock: zmq.Socket[Any], info: ConnectionInfo, *, ephemeral: bool) -> None:
    """Make ``sock`` a Curve client of the kernel in ``info`` (no-op without curve keys).

    Call before ``connect``. ``ephemeral`` gives the socket a fresh keypair (the heartbeat);
    otherwise it uses the connection file's keypair.
    """
    if not info.uses_curve:
        return
    assert info.curve_publickey is not None and info.curve_secretkey is not None
    if ephemeral:
        import zmq

        public, secret = zmq.curve_keypair()
    else:
        public, secret = info.curve_publickey.encode(), info.curve_secretkey.encode()
    sock.curve_secretkey = secret
    sock.curve_publickey = public
    sock.curve_serverkey = info.curve_publickey.encode()
