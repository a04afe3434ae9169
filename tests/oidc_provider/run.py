"""Start the test provider as its own process and register ClusterBridge with it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Provider:
    url: str
    client_id: str
    client_secret: str
    env: dict
    process: subprocess.Popen | None = None
    discovery: dict = field(default_factory=dict)

    def add_user(self, username: str, email: str, password: str, first: str = "", last: str = "") -> None:
        code = ("from django.contrib.auth.models import User; "
                f"User.objects.create_user({username!r}, email={email!r}, password={password!r}, "
                f"first_name={first!r}, last_name={last!r})")
        _django(["shell", "-c", code], self.env)

    def settings(self) -> dict:
        """ClusterBridge's settings for this provider, from its discovery document as an operator would."""
        d = self.discovery
        return {"OIDC_RP_CLIENT_ID": self.client_id, "OIDC_RP_CLIENT_SECRET": self.client_secret,
                "OIDC_OP_AUTHORIZATION_ENDPOINT": d["authorization_endpoint"],
                "OIDC_OP_TOKEN_ENDPOINT": d["token_endpoint"], "OIDC_OP_USER_ENDPOINT": d["userinfo_endpoint"],
                "OIDC_OP_JWKS_ENDPOINT": d["jwks_uri"], "OIDC_PROVIDER_NAME": "Ministry SSO"}


def _django(args: list[str], env: dict) -> str:
    return subprocess.run([sys.executable, "-m", "django", *args], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=120).stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def provider_start(directory: Path, redirect_uri: str) -> Provider:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (directory / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings", "PROVIDER_DIR": str(directory),
           "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    _django(["migrate", "-v", "0"], env)
    provider = Provider(url="", client_id="clusterbridge", client_secret="a-client-secret-for-the-tests", env=env)
    _django(["shell", "-c",
             "from oauth2_provider.models import Application as A; "
             f"A.objects.create(name='ClusterBridge', client_id={provider.client_id!r}, "
             f"client_secret={provider.client_secret!r}, client_type=A.CLIENT_CONFIDENTIAL, "
             f"authorization_grant_type=A.GRANT_AUTHORIZATION_CODE, redirect_uris={redirect_uri!r}, "
             "algorithm=A.RS256_ALGORITHM, skip_authorization=True)"], env)
    port = _free_port()
    provider.url = f"http://localhost:{port}"
    provider.process = subprocess.Popen([sys.executable, "-m", "django", "runserver", f"localhost:{port}",
                                         "--noreload"], env=env, cwd=ROOT,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{provider.url}/o/.well-known/openid-configuration/", timeout=2) as answer:
                provider.discovery = json.loads(answer.read())
            return provider
        except OSError:
            if time.monotonic() > deadline or provider.process.poll() is not None:
                provider_stop(provider)
                raise RuntimeError("the test OpenID Connect provider did not start")
            time.sleep(0.2)


def provider_stop(provider: Provider) -> None:
    if provider.process and provider.process.poll() is None:
        provider.process.terminate()
        provider.process.wait(timeout=20)
