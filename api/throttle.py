"""Throttling per token (or per user, for a browser session): at most
CANLIAN_API_RATE requests a minute, counted in the shared cache in windows of a minute."""

import time

from django.conf import settings
from django.core.cache import cache
from ninja.throttling import BaseThrottle

WINDOW = 60  # seconds


class TokenRateThrottle(BaseThrottle):
    def _key(self, request) -> str | None:
        token = getattr(request, "api_token", None)
        if token is not None:
            return f"api-rate:token:{token.pk}"
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"api-rate:user:{user.pk}"
        return None

    def allow_request(self, request) -> bool:
        key = self._key(request)
        if key is None:
            return True  # an unknown caller is refused by the authentication (401)
        rate = settings.CANLIAN_API_RATE
        window = int(time.time() // WINDOW)
        key = f"{key}:{window}"
        cache.add(key, 0, timeout=WINDOW * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW * 2)
            count = 1
        self._wait = WINDOW - (time.time() % WINDOW)
        return count <= rate

    def wait(self):
        return getattr(self, "_wait", WINDOW)
