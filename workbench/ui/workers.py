"""Worker errors end in a modal, never a crash: mix ``ShowsWorkerErrors`` into screens and panes.

``Worker.StateChanged`` is delivered to the node that started the worker and does not bubble,
so every node that starts workers carries this handler. Workers named in ``QUIET_GROUPS`` of a
class handle their own errors.
"""

from __future__ import annotations

from textual.worker import Worker, WorkerState


class ShowsWorkerErrors:
    QUIET_GROUPS: tuple[str, ...] = ()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A plain ``on_`` method, not ``@on``: Textual registers decorated handlers only on
        # message-pump classes, and this is a mixin.
        if event.state != WorkerState.ERROR or event.worker.group in self.QUIET_GROUPS:
            return
        err = event.worker.error
        title = getattr(err, "title", None) or f"{event.worker.description or event.worker.name} failed"
        self.app.show_error(title, f"{type(err).__name__}: {err}" if not getattr(err, "title", None) else str(err))
