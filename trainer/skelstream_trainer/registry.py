"""A name -> factory table, so configs pick masking strategies, targets, losses and models by name."""

from typing import Callable, Dict, Generic, TypeVar

T = TypeVar("T")


class UnknownNameError(KeyError):
    """A config names a masking strategy, target, loss, model or objective that does not exist."""


class Registry(Generic[T]):
    """Named entries of one kind (e.g. "masking"); unknown names raise a KeyError listing the known ones."""

    def __init__(self, kind: str):
        self.kind = kind
        self._entries: Dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        def add(entry: T) -> T:
            if name in self._entries:
                raise KeyError(f"{self.kind} {name!r} is registered twice")
            self._entries[name] = entry
            return entry
        return add

    def get(self, name: str) -> T:
        try:
            return self._entries[name]
        except KeyError:
            raise UnknownNameError(f"unknown {self.kind} {name!r}; known: {', '.join(sorted(self._entries))}") from None

    def names(self):
        return sorted(self._entries)
