"""The production backends, over real connections: S3-compatible storage (a local moto_server
over HTTP) and Redis. Redis is a service of the machine; without it these tests are skipped,
unless SIWANDA_REQUIRE_SERVICES=1 (CI) turns that into a failure."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from siwanda.core.health import check_cache, check_storage


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for _attempt in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("moto_server did not start")
    import boto3

    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    ).create_bucket(Bucket="siwanda-test")
    yield endpoint
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "siwanda-test",
                "endpoint_url": s3_endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "signature_version": "s3v4",
            },
        },
    }
    return default_storage


def test_files_round_trip_through_s3(s3_storage):
    name = s3_storage.save("bukti/laporan.txt", ContentFile(b"laporan evaluasi"))
    assert s3_storage.exists(name)
    with s3_storage.open(name) as handle:
        assert handle.read() == b"laporan evaluasi"
    assert "X-Amz-Signature" in s3_storage.url(name)  # private files get signed links
    s3_storage.delete(name)
    assert not s3_storage.exists(name)


def test_health_check_writes_to_s3(s3_storage):
    assert check_storage() == {"ok": True, "backend": "S3Storage"}


def redis_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture
def redis_cache(settings):
    if not redis_available():
        if os.environ.get("SIWANDA_REQUIRE_SERVICES") == "1":
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "siwanda-test",
        }
    }
    from django.core.cache import cache

    yield cache
    cache.clear()


def test_health_check_uses_redis(redis_cache):
    assert check_cache() == {"ok": True, "backend": "RedisCache"}
    redis_cache.set("x", {"a": 1})
    assert redis_cache.get("x") == {"a": 1}
