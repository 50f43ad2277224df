"""Rendered timeline pages, kept per process so a patient who reloads does not pay for a
rebuild. The key holds everything the page depends on: the enrolment and its version, the
patient's name, their goals, the language, the day and the address. Anything that changes the data moves the
version, so a stale entry is never found again; the oldest entries go when the cache is full."""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock


class PageCache:
    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], str]) -> str:
        if self.size <= 0:
            return make()
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = make()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value
