"""ReconnectPolicy: the backoff schedule and its environment overrides (no I/O)."""

from __future__ import annotations

from protocol.remote.reconnect import ReconnectPolicy


def test_default_schedule_is_one_second_doubling_to_thirty_five_tries() -> None:
    assert list(ReconnectPolicy().delays()) == [1, 2, 4, 8, 16]
    assert list(ReconnectPolicy(tries=7).delays()) == [1, 2, 4, 8, 16, 30, 30]
    assert list(ReconnectPolicy(tries=0).delays()) == []


def test_environment_overrides_and_bad_values() -> None:
    policy = ReconnectPolicy.from_environ({"JTUI_RECONNECT_DELAY": "0.5",
                                           "JTUI_RECONNECT_MAX_DELAY": "2",
                                           "JTUI_RECONNECT_TRIES": "4"})
    assert list(policy.delays()) == [0.5, 1, 2, 2]
    assert ReconnectPolicy.from_environ({"JTUI_RECONNECT_TRIES": "0"}).tries == 0
    assert ReconnectPolicy.from_environ({"JTUI_RECONNECT_TRIES": "lots",
                                         "JTUI_RECONNECT_DELAY": "-1"}) == ReconnectPolicy()
    assert ReconnectPolicy.from_environ({}) == ReconnectPolicy()
