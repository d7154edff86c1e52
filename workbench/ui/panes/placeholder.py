from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static


class PlaceholderPane(Vertical):
    def __init__(self, ctx, **kw) -> None:
        super().__init__(**kw)
        self.ctx = ctx
        self.add_class("pane")

    def compose(self) -> ComposeResult:
        yield Static("This tab is not available in this build.")
