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
