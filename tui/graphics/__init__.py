"""Terminal graphics: detecting what the terminal can draw, and turning images into escape
sequences or text cells for kitty (Unicode placeholders), sixel, iTerm2 and half-blocks.

Toolkit-free: nothing here imports Textual or prompt_toolkit.
"""
