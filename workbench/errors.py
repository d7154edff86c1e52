"""One error hierarchy for the core, so the CLI and the UI can show ``title`` and ``str(error)``."""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base class for every error the core raises on purpose."""

    title = "Workbench error"

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        if title is not None:
            self.title = title


class BundleError(WorkbenchError):
    """A bundle on disk is missing, unreadable or invalid. Names the file and the field."""

    title = "Invalid bundle"

    def __init__(self, file: str, field: str, expected: str) -> None:
        self.file = file
        self.field = field
        self.expected = expected
        super().__init__(f"{file}: {field}: {expected}")


class ImportFailure(WorkbenchError):
    title = "Import failed"


class ExportFailure(WorkbenchError):
    title = "Export failed"
