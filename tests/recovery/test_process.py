"""Whether a journal's writer still runs: pid alive and the same start time, same host."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from tui.recovery.process import (
    Liveness,
    ProcessId,
    liveness,
    pid_exists,
    process_start_time,
    this_process,
)


def test_this_process_is_running():
    me = this_process()
    assert me.pid == os.getpid() and me.host == socket.gethostname()
    assert me.started is not None
    assert liveness(me) is Liveness.RUNNING


def test_an_exited_process_is_gone():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    started = process_start_time(child.pid)
    child.wait()
    assert not pid_exists(child.pid)
    assert liveness(ProcessId(child.pid, socket.gethostname(), started)) is Liveness.GONE


def test_a_live_child_is_running_until_it_exits():
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)
    try:
        writer = ProcessId(child.pid, socket.gethostname(), process_start_time(child.pid))
        assert liveness(writer) is Liveness.RUNNING
    finally:
        child.communicate(b"")
    assert liveness(writer) is Liveness.GONE


def test_a_reused_pid_is_another_process():
    me = this_process()
    assert me.started is not None
    assert liveness(ProcessId(me.pid, me.host, me.started - 3600)) is Liveness.GONE


def test_another_host_cannot_be_told():
    me = this_process()
    assert liveness(ProcessId(me.pid, me.host + ".elsewhere", me.started)) is Liveness.UNKNOWN


def test_without_a_start_time_the_pid_decides():
    me = this_process()
    assert liveness(ProcessId(me.pid, me.host, None)) is Liveness.RUNNING


def test_impossible_pids_do_not_exist():
    assert not pid_exists(0) and not pid_exists(-5)
    assert process_start_time(2**22 + 12345) is None


def test_the_start_time_is_close_to_now_for_a_fresh_child():
    import time

    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)
    try:
        started = process_start_time(child.pid)
        assert started is not None and abs(started - time.time()) < 60
    finally:
        child.communicate(b"")
