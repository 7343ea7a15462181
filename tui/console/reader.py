"""Read: the code prompt (``In [n]:``) and the prompt that answers the kernel's ``input()``.

Everything the prompt asks the kernel for is non-blocking with a short deadline: completions
(Tab), completeness (Enter) and inspection (Shift-Tab). A kernel that does not answer never
freezes the prompt.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from typing import Any

from prompt_toolkit import PromptSession
from prompt_toolkit.application.current import get_app_or_none
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.history import History, InMemoryHistory
from prompt_toolkit.lexers import DynamicLexer, Lexer, PygmentsLexer
from prompt_toolkit.shortcuts import CompleteStyle
from prompt_toolkit.styles import Style, merge_styles, style_from_pygments_cls

from tui.console.keys import EnterGate, PromptActions, load_prompt_bindings

Complete = Callable[[str, int], Awaitable[dict[str, Any]]]

PROMPT_STYLE = Style.from_dict(
    {
        "prompt": "#00a000",
        "prompt.number": "#00d000 bold",
        "continuation": "#00a000",
        "completion-menu.completion": "bg:#303030 #d0d0d0",
        "completion-menu.completion.current": "bg:#0060a0 #ffffff",
        "completion-menu.meta.completion": "bg:#404040 #a0a0a0",
    }
)


def _lexer_names(language_info: dict[str, Any]) -> list[str]:
    names = [language_info.get("pygments_lexer"), language_info.get("name")]
    if isinstance(language_info.get("codemirror_mode"), str):
        names.append(language_info["codemirror_mode"])
    return [n for n in names if isinstance(n, str) and n]


#: Lexers built so far, by name. Building one compiles its regexes (~50 ms for Python), so the
#: start-up code warms the kernelspec language's lexer while the kernel boots.
LEXERS: dict[str, Lexer] = {}


def warm_lexer(name: str) -> None:
    """Build (and cache) the lexer for language ``name``; call from a worker thread."""
    if name and name not in LEXERS:
        lexer = pygments_lexer({"name": name})
        if lexer is not None:
            LEXERS[name] = lexer


def cached_lexer(language_info: dict[str, Any]) -> Lexer | None:
    """An already built lexer for the kernel's language, if any (no work on the prompt path)."""
    for name in _lexer_names(language_info):
        if name in LEXERS:
            return LEXERS[name]
    return None


def pygments_lexer(language_info: dict[str, Any]) -> Lexer | None:
    """The lexer the kernel names (``pygments_lexer``, e.g. ``ipython3`` from a plugin), or
    its language's. Plugin lookup scans entry points (~70 ms), so it runs off the prompt path."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    for name in _lexer_names(language_info):
        try:
            return PygmentsLexer(type(get_lexer_by_name(name)))
        except ClassNotFound:
            continue
    return None


class KernelCompleter(Completer):
    """Completions from ``complete_request`` (cursor positions are code points = str indexes)."""

    def __init__(self, complete: Complete) -> None:
        self._complete = complete

    def get_completions(self, document: Document, complete_event: CompleteEvent
                        ) -> Iterable[Completion]:
        """Synchronous completion is not available: the kernel answers asynchronously."""
        return iter(())

    async def get_completions_async(
        self, document: Document, complete_event: CompleteEvent
    ) -> AsyncGenerator[Completion, None]:
        """Ask the kernel; on timeout or error, offer nothing."""
        cursor = document.cursor_position
        try:
            reply = await self._complete(document.text, cursor)
        except Exception:
            return
        for completion in completions_from_reply(reply, cursor):
            yield completion


def completions_from_reply(reply: dict[str, Any], cursor: int) -> list[Completion]:
    """prompt_toolkit completions for a ``complete_reply`` content."""
    if reply.get("status", "ok") != "ok":
        return []
    matches = [m for m in reply.get("matches") or [] if isinstance(m, str)]
    start = reply.get("cursor_start", cursor)
    if not isinstance(start, int) or start > cursor:
        start = cursor
    meta = (reply.get("metadata") or {}).get("_jupyter_types_experimental") or []
    types: dict[str, str] = {}
    for item in meta:
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            types[item["text"]] = str(item.get("type") or "")
    seen: set[str] = set()
    result = []
    for match in matches:
        if match in seen:
            continue
        seen.add(match)
        result.append(
            Completion(match, start_position=start - cursor, display_meta=types.get(match, ""))
        )
    return result


def prompt_is_active() -> bool:
    """True while any prompt (code or input) is on screen."""
    app = get_app_or_none()
    return app is not None and app.is_running


class Reader:
    """The code prompt: ``await reader.read(n)`` returns the next cell (EOFError on Ctrl-D)."""

    def __init__(
        self,
        *,
        actions: PromptActions,
        complete: Complete,
        language_info: dict[str, Any],
        history: History | None = None,
    ) -> None:
        from pygments.styles import get_style_by_name

        self.count = 1
        self.gate = EnterGate()
        self.lexer = cached_lexer(language_info)
        self._language_info = language_info
        self._lexer_upgrade: asyncio.Task[None] | None = None
        self.session: PromptSession[str] = PromptSession(
            message=self._message,
            multiline=True,
            prompt_continuation=self._continuation,
            lexer=DynamicLexer(lambda: self.lexer),
            completer=KernelCompleter(complete),
            complete_while_typing=False,
            complete_style=CompleteStyle.COLUMN,
            reserve_space_for_menu=6,
            history=history or InMemoryHistory(),
            enable_history_search=True,
            key_bindings=load_prompt_bindings(actions, self.gate),
            style=merge_styles(
                [style_from_pygments_cls(get_style_by_name("default")), PROMPT_STYLE]
            ),
            include_default_pygments_style=False,
            enable_open_in_editor=True,
            search_ignore_case=True,
        )
        self._input_session: PromptSession[str] | None = None

    def _message(self) -> StyleAndTextTuples:
        return [
            ("class:prompt", "In ["),
            ("class:prompt.number", str(self.count)),
            ("class:prompt", "]: "),
        ]

    def _continuation(self, width: int, line_number: int, is_soft_wrap: int
                      ) -> StyleAndTextTuples:
        if is_soft_wrap:
            return []
        dots = "...: "
        return [("class:continuation", dots.rjust(width))]

    async def _upgrade_lexer(self) -> None:
        names = _lexer_names(self._language_info)
        if not names or names[0] in LEXERS:
            return
        # Not on the start-up path: the lookup scans plugin entry points and compiles regexes.
        await asyncio.sleep(1.0)
        lexer = await asyncio.to_thread(pygments_lexer, self._language_info)
        if lexer is not None:
            LEXERS[names[0]] = lexer
            self.lexer = lexer
            app = get_app_or_none()
            if app is not None:
                app.invalidate()

    async def read(self, count: int, default: str = "") -> str:
        """Show ``In [count]:`` and return the accepted cell."""
        self.count = count
        if self._lexer_upgrade is None:
            self._lexer_upgrade = asyncio.get_running_loop().create_task(self._upgrade_lexer())
        replay = self._replayer(self.session)
        return await self.session.prompt_async(default=default, pre_run=replay)

    def _replayer(self, session: PromptSession[str]) -> Callable[[], None]:
        """A ``pre_run`` giving keys typed ahead (after an accepted cell) to the next prompt,
        whichever it is, as a terminal's line discipline would."""
        leftover = self.gate.take_leftover()

        def replay() -> None:
            if leftover:
                processor = session.app.key_processor
                processor.feed_multiple(leftover)
                processor.process_keys()

        return replay

    async def read_input(self, prompt: str, password: bool) -> str:
        """Answer the kernel's ``input()``/``getpass``: a one-line prompt, hidden for passwords.

        ``prompt`` is shown with its SGR colours (sanitize and bound it first: it comes from
        the kernel)."""
        from prompt_toolkit.formatted_text import ANSI

        if self._input_session is None:
            self._input_session = PromptSession()
        session = self._input_session
        return await session.prompt_async(
            ANSI(prompt), is_password=password, pre_run=self._replayer(session)
        )
