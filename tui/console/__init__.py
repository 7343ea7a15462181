"""``jtui console``: a quick REPL on any Jupyter kernel, on prompt_toolkit.

Read, evaluate and print are kept apart (as ptpython does):

- :mod:`tui.console.reader` reads a cell (the prompt: lexer, completion, is_complete, history);
- :mod:`tui.console.evaluator` sends it to the kernel and routes the events that come back
  (stdin requests, interrupt, the end of the execution);
- :mod:`tui.console.printer` turns events into terminal text, above the prompt when one is shown;
- :mod:`tui.console.repl` ties the three together; :mod:`tui.console.piped` is the non-interactive
  mode used when standard input is not a terminal.
"""
