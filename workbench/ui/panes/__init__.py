"""The workspace's tabs. Each pane is a widget with class ``pane`` built from an ``EnvContext``.

Optional hooks the workspace calls: ``session_ready()``, ``session_failed(error)``,
``state_changed(reason)``.
"""
