"""The public pages (no login): find a village or community by its name, its pinyin or its
division code, then see its liaison officers (残疾人专职委员) and the township DPF's
service window. Nothing of the register is shown (reports/public_selectors.py reads none).

Each page is rendered without the request (no session, no CSRF token, no cookie), in the
language of ``?lang=`` (Chinese when absent: a link switches), so one rendering serves
everyone: it is kept in the cache for CANLIAN_PUBLIC_CACHE_SECONDS and sent with
``Cache-Control: public`` for the browsers and proxies in front. A client address makes at
most CANLIAN_PUBLIC_RATE requests a minute, counted in the shared cache in windows of a
minute as the API's throttle does (api/throttle.py; django-ratelimit would add a dependency
for these few lines); past it the answer is a Chinese 429 page."""

import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from core.text import normalise_text

from . import public_selectors as selectors

WINDOW = 60  # seconds
QUERY_LENGTH = 50


def _language(request) -> str:
    asked = request.GET.get("lang", "")
    return asked if asked in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _client(request) -> str:
    header = settings.CANLIAN_PUBLIC_CLIENT_HEADER
    forwarded = request.META.get(header, "") if header else ""
    if forwarded:
        return forwarded.split(",")[-1].strip()  # the one the proxy in front appended
    return request.META.get("REMOTE_ADDR") or "unknown"


def _over_limit(request) -> tuple[bool, int]:
    """Whether this client has made more than CANLIAN_PUBLIC_RATE requests in this minute,
    and the seconds until the next minute."""
    now = time.time()
    key = f"public-rate:{_client(request)}:{int(now // WINDOW)}"
    cache.add(key, 0, timeout=WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW * 2)
        count = 1
    return count > settings.CANLIAN_PUBLIC_RATE, int(WINDOW - now % WINDOW) + 1


def _links(path: str, params: dict, lang: str) -> dict:
    """The language switch (each language's address of this page) and the query that keeps
    the language on the page's own links."""
    languages = []
    for code, name in settings.LANGUAGES:
        query = {**params, **({"lang": code} if code != settings.LANGUAGE_CODE else {})}
        languages.append({"code": code, "name": name, "current": code == lang,
                          "url": path + ("?" + urlencode(query) if query else "")})
    keep = "" if lang == settings.LANGUAGE_CODE else urlencode({"lang": lang})
    return {"languages": languages, "lang": lang, "lang_query": f"?{keep}" if keep else "",
            "lang_param": keep}


def _render(template: str, context: dict, *, lang: str, status: int = 200) -> HttpResponse:
    with translation.override(lang):
        html = render_to_string(template, context)
    response = HttpResponse(html, status=status)
    response["Content-Language"] = lang
    return response


def _public(request, key: str, build) -> HttpResponse:
    """The page ``build(lang)`` renders ((template, context, status)), kept in the cache
    under ``key`` and the language; refused with a 429 page past the rate."""
    lang = _language(request)
    over, retry = _over_limit(request)
    if over:
        response = _render("reports/public/too_many.html",
                           {**_links(request.path, {}, lang), "retry": retry},
                           lang=lang, status=429)
        response["Retry-After"] = str(retry)
        patch_cache_control(response, no_store=True)
        return response
    seconds = settings.CANLIAN_PUBLIC_CACHE_SECONDS
    cache_key = f"public-page:{lang}:{key}"
    kept = cache.get(cache_key)
    if kept is None:
        with translation.override(lang):  # the page's words, the selector's titles alike
            template, context, status = build(lang)
        response = _render(template, context, lang=lang, status=status)
        kept = (response.status_code, response.content)
        cache.set(cache_key, kept, timeout=seconds)
    response = HttpResponse(kept[1], status=kept[0])
    response["Content-Language"] = lang
    patch_cache_control(response, public=True, max_age=seconds)
    return response


@require_safe
def search(request):
    """Find a village or community; the results link to their pages."""
    query = normalise_text(request.GET.get("q", ""))[:QUERY_LENGTH]
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]

    def build(lang):
        hits = selectors.public_search(query, limit=selectors.SEARCH_LIMIT + 1) if query else []
        params = {"q": query} if query else {}
        return "reports/public/search.html", {
            **_links(request.path, params, lang), "query": query,
            "hits": hits[:selectors.SEARCH_LIMIT],
            "more": len(hits) > selectors.SEARCH_LIMIT}, 200

    return _public(request, f"search:{digest}", build)


@require_safe
def unit(request, code):
    """A village's or community's liaison officers and its township's service window; an
    unknown or abolished code is a 404 page with the search form."""
    code = code[:15]

    def build(lang):
        found = selectors.public_unit(code)
        context = {**_links(request.path, {}, lang), "code": code,
                   "search_url": reverse("public:search")}
        if found is None:
            return "reports/public/not_found.html", context, 404
        return "reports/public/unit.html", {**context, "unit": found,
                                            "duties": selectors.LIAISON_DUTIES}, 200

    key = code if code.isascii() and code.isdigit() else hashlib.sha256(code.encode()).hexdigest()
    return _public(request, f"unit:{key}", build)
