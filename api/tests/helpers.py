"""Calling the API as a user of the standard tree, with a token of their own."""

import json

from accounts import services as account_services


def bearer(user, name="测试") -> dict:
    _row, token = account_services.token_create(actor=user, name=name)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


class Api:
    """client.get/post/patch on /api/v1/ as ``user`` (through a fresh token)."""

    def __init__(self, client, user):
        self.client = client
        self.headers = bearer(user) if user is not None else {}

    def get(self, path, **params):
        return self.client.get(f"/api/v1/{path}", params, **self.headers)

    def _send(self, method, path, body):
        return getattr(self.client, method)(f"/api/v1/{path}", json.dumps(body),
                                            content_type="application/json", **self.headers)

    def post(self, path, body):
        return self._send("post", path, body)

    def patch(self, path, body):
        return self._send("patch", path, body)
