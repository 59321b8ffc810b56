"""One error type with the context a user needs to fix the input."""

from __future__ import annotations


class StandoffError(Exception):
    """A user-facing error: names the file, the record and the field, and what to do.

    The CLI prints `str(err)` and exits 1; tracebacks are for bugs, not for bad input.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        record: str | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.record = record
        self.field = field
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.record:
            where.append(f"record {self.record}")
        if self.field:
            where.append(f"field {self.field}")
        text = (": ".join([", ".join(where), self.message])) if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class ValidationErrors(StandoffError):
    """Several problems found at once; validation reports all of them, not just the first."""

    def __init__(self, errors: list[StandoffError]) -> None:
        self.errors = errors
        lines = [str(e) for e in errors[:50]]
        more = f"\n... and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} error(s):\n  " + "\n  ".join(lines) + more)

    def __str__(self) -> str:
        return self.message
