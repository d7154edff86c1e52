"""AWM Workbench: build, review, debug and curate Agent World Model environments.

The package root stays light: it never imports the UI (``workbench.ui``) or heavy runtime libraries.
"""

__version__ = "0.1.0"
