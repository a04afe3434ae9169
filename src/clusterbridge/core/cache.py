"""Django's Redis cache, made to fail soft: when Redis cannot be reached, a read is a miss and a
write is skipped, so pages keep answering (the cache speeds pages up and carries live progress;
it is never the source of truth). After a failure Redis is left alone for a few seconds, so that
a page does not wait on it call after call; each outage is logged once."""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0


class ResilientRedisCache(RedisCache):
    _down_until = 0.0  # shared by every cache object of the process
    _outage = False

    def _guarded(self, method: str, fallback, *args):
        cls = ResilientRedisCache
        if time.monotonic() < cls._down_until:
            return fallback() if callable(fallback) else fallback
        try:
            value = getattr(super(), method)(*args)
        except ValueError:
            raise  # incr of a missing key: the caller's to handle, as with any cache
        except Exception as error:  # noqa: BLE001 - redis.ConnectionError, TimeoutError, ...
            if not cls._outage:
                log.warning("cache: Redis is out of reach (%s); serving without it", error)
            cls._outage, cls._down_until = True, time.monotonic() + RETRY_AFTER_SECONDS
            return fallback() if callable(fallback) else fallback
        if cls._outage:
            log.warning("cache: Redis is back")
            cls._outage = False
        return value

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("add", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded("incr", delta, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", list, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guarded("delete_many", None, keys, version)

    def clear(self):
        return self._guarded("clear", False)


# ------------------------------------------------------------ versions shared by every process

def _outage_now() -> bool:
    return ResilientRedisCache._outage and time.monotonic() < ResilientRedisCache._down_until


_last_versions: dict[str, str] = {}
_pending_bumps: set[str] = set()


def shared_version(key: str) -> str:
    """The current version of something every process keeps in memory (the directory's index,
    partner search's): read from the cache, made once when missing (the first process wins). While
    the cache is out of reach the version this process last saw holds, so nothing is rebuilt at
    every request; a change made meanwhile is written out when it is back."""
    import uuid

    from django.core.cache import cache

    value = cache.get(key)
    if value is None and _outage_now():
        return _last_versions.setdefault(key, uuid.uuid4().hex)
    if key in _pending_bumps:
        _pending_bumps.discard(key)
        value = _last_versions[key]
        cache.set(key, value, None)
    elif value is None:
        cache.add(key, uuid.uuid4().hex, None)
        value = cache.get(key)
        if value is None:  # the cache went away between the calls
            return _last_versions.setdefault(key, uuid.uuid4().hex)
    _last_versions[key] = value
    return value


def shared_version_bump(key: str) -> None:
    """Something changed: every process rebuilds on its next read (a new random version; a counter
    could come back to a value a process still holds after the cache is emptied)."""
    import uuid

    from django.core.cache import cache

    value = uuid.uuid4().hex
    _last_versions[key] = value
    cache.set(key, value, None)
    if _outage_now():
        _pending_bumps.add(key)
