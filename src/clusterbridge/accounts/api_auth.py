"""How the REST API knows who calls: a personal key (`Authorization: Bearer <key>`) that allows
the operation's scope and has not expired, or, for pages' own scripts, the session (with its
CSRF check on writes). Every app's `api.py` names the scope its operations need."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth


class ApiKey(HttpBearer):
    def __init__(self, scope: str = "directory:write"):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        from .services import api_token_user

        user = api_token_user(token[:200], scope=self.scope)
        if user is not None:
            request.user = user
        return user


def key_or_session(scope: str) -> list:
    """A key with this scope, or a logged-in session."""
    return [ApiKey(scope), SessionAuth()]
