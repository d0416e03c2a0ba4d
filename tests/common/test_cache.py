"""Issue 18: the Redis cache keeps one redis client per server instead of building one on every call (about
0.2 ms each, once per API request for the lockout check). Building a client does not connect, so no Redis
server is needed here."""

import pytest

from apps.common.cache import KeptClientRedisCache
from apps.common.ids import new_token


def _cache(location: str) -> KeptClientRedisCache:
    return KeptClientRedisCache(location, {})


def test_every_call_gets_the_same_client_on_the_kept_pool():
    client = _cache("redis://127.0.0.1:6379/9")._cache
    first = client.get_client("k")
    assert client.get_client("other", write=True) is first  # one server: reads and writes share it
    assert first.connection_pool is client._get_connection_pool(write=True)


def test_each_server_keeps_its_own_client():
    client = _cache("redis://127.0.0.1:6379/9,redis://127.0.0.1:6380/9")._cache
    writer = client.get_client(write=True)
    reader = client.get_client()  # Django reads from the replicas (every server after the first)
    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["port"] == 6379
    assert reader.connection_pool.connection_kwargs["port"] == 6380
    assert client.get_client() is reader and client.get_client(write=True) is writer


@pytest.mark.redis
def test_the_kept_client_serves_the_lockout_commands_on_a_real_redis(settings):
    if not settings.DRAMATIQ_BROKER_URL.startswith("redis://"):
        pytest.skip("needs DRAMATIQ_BROKER_URL=redis://…")
    cache = _cache(settings.DRAMATIQ_BROKER_URL)
    key = f"test-kept-client:{new_token()}"
    assert cache.add(key, 0, timeout=60) and not cache.add(key, 5, timeout=60)
    assert [cache.incr(key) for _ in range(3)] == [1, 2, 3]  # the lockout's failure counter
    cache.set(key, {"until": 1.5}, timeout=60)
    assert cache.get(key) == {"until": 1.5}
    cache.delete(key)
    assert cache.get(key) is None
