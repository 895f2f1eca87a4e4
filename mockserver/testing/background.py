"""What the sandbox's test servers share: started and stopped as a context manager."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Background:
    """A server running in a background thread; ``with`` starts it and always stops it."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
