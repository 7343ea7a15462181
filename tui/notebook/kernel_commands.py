"""Command palette entries for the kernel: run all/above/below, restart, interrupt, change."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

KERNEL_COMMANDS: tuple[tuple[str, str], ...] = (
    ("Run all cells", "kernel_run_all"),
    ("Run all cells above", "kernel_run_above"),
    ("Run selected cell and all below", "kernel_run_below"),
    ("Restart kernel and run all cells", "kernel_restart_run_all"),
    ("Restart kernel", "kernel_restart"),
    ("Interrupt kernel", "kernel_interrupt"),
    ("Change kernel", "kernel_change"),
    ("Shut down kernel", "kernel_shutdown"),
    ("Toggle recording cell execution timing", "kernel_toggle_timing"),
    ("Show more of a long output", "kernel_expand_output"),
    ("Show the outputs' next representation", "kernel_cycle_output"),
    ("Scroll wide tables left", "kernel_scroll_output(-1)"),
    ("Scroll wide tables right", "kernel_scroll_output(1)"),
)
"""(palette text, screen action) of every kernel command."""


class KernelCommands(Provider):
    """Offers the kernel commands by name."""

    def _run(self, action: str) -> None:
        screen = self.screen
        screen.call_later(screen.run_action, action)

    async def discover(self) -> Hits:
        """All kernel commands."""
        for text, action in KERNEL_COMMANDS:
            yield DiscoveryHit(text, partial(self._run, action), help="kernel")

    async def search(self, query: str) -> Hits:
        """Kernel commands matching ``query``."""
        matcher = self.matcher(query)
        for text, action in KERNEL_COMMANDS:
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._run, action),
                          help="kernel")
