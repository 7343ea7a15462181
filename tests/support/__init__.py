"""Shared test support: a pseudo-terminal harness (pexpect + pyte) for end-to-end tests."""
