"""ipywidgets in the editor: Textual views of the models of the session's
:class:`~tui.widgets.manager.WidgetManager` (and of models restored from a notebook's saved
widget state), drawn in place of a cell's ``application/vnd.jupyter.widget-view+json``
outputs and driven with the keyboard (the ``widget`` key scope) and the mouse.

Modules: ``base`` (the view base class, its env), ``sliders``, ``choices``, ``fields``,
``display``, ``containers``, ``outputs`` (outputs with widgets, the Output widget), ``factory``
(model name -> view), ``sources`` (live and saved models), ``cell`` (what cell views ask).
"""
