"""Piped use: ``echo 'print(1)' | jtui console`` runs standard input as one cell.

Outputs go to standard output (stderr streams and tracebacks to standard error), without
prompts; colours only when standard output is a terminal. Text only: a bundle prints its
``text/plain`` (else its ``text/markdown`` source, else one placeholder line per type), and
all kernel text is sanitized (SGR colours at most), never cut. The exit status is 1 when the cell
raised (or the kernel died), else 0. ``input()`` in the code raises in the kernel (no stdin).
"""

from __future__ import annotations

import sys
from typing import Any

from tui.console.evaluator import Evaluator
from tui.console.kernel import ConsoleKernel
from tui.console.linecut import bounded_text
from tui.console.printer import Printer
from tui.mime import as_text


class PipedPrinter(Printer):
    """Results are printed bare (no ``Out[n]:``), so the output can be piped on."""

    def out_prompt(self, count: object, remote: bool = False) -> str:
        """No prompt in piped mode."""
        return ""

    def bundle_text(self, content: dict[str, Any], width: int) -> str:
        """Text only: ``text/plain``, else the markdown source, else placeholders."""
        data = content.get("data")
        if not isinstance(data, dict):
            return ""
        for mime in ("text/plain", "text/markdown"):
            if mime in data:
                return bounded_text(as_text(data[mime]), None).rstrip("\n")
        from tui.render.registry import placeholder

        return "\n".join(placeholder(mime, value).plain for mime, value in data.items())

    def end_cell(self) -> None:
        """End an unfinished line; no blank line between cells."""
        self.ensure_line_start()

    def note(self, text: str, style: str = "info") -> None:
        """The console's own messages (reconnecting...) go to stderr: stdout is the output."""
        text = bounded_text(text, None)
        self.write(f"{text}\n", kind="note", new_line=True, stderr=True)


async def run_piped(kernel: ConsoleKernel, code: str) -> int:
    """Run ``code`` as one cell; return the exit status."""
    printer = PipedPrinter(sys.stdout, sys.stderr, color=sys.stdout.isatty(), live=False,
                           cut_lines=False)
    evaluator = Evaluator(kernel, printer, ask_input=None)
    evaluator.start()
    try:
        if not code.strip():
            return 0
        result = await evaluator.execute(code, allow_stdin=False)
    finally:
        await evaluator.stop()
    if result.died is not None:
        sys.stderr.write(f"jtui console: the kernel died: {result.died}\n")
        return 1
    return 0 if result.status == "ok" and printer.errors_seen == 0 else 1
