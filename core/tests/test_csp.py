"""The Content-Security-Policy: the header every page carries, and templates that need no
exception to it (no inline script, style attribute or event handler)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POLICY = {"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
          "frame-ancestors 'none'", "form-action 'self'", "base-uri 'self'"}


def _directives(response):
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/no-such-page/"])
def test_every_response_carries_the_policy(client, path):
    response = client.get(path)
    assert _directives(response) == POLICY


@pytest.mark.django_db
def test_a_logged_in_page_carries_the_policy(client_for, tree):
    response = client_for(tree.county_admin).get("/accounts/users/")
    assert response.status_code == 200
    assert _directives(response) == POLICY


def _templates():
    skip = {".venv", "node_modules", "var", ".git"}
    return [p for p in ROOT.rglob("*.html") if not skip & set(p.relative_to(ROOT).parts)]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_the_scan_finds_what_the_policy_refuses():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/canlian.js" defer></script>')
    assert STYLE.search('<p style="color:red">') and STYLE.search("<style>p{}</style>")
    assert HANDLER.search('<button onclick="go()">')
    assert not HANDLER.search('<button class="only">') and not STYLE.search('<p class="x">')


def test_no_template_has_inline_script_style_or_handler():
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        # JSON data blocks (json_script) are not run, so the policy allows them.
        text = re.sub(r'<script[^>]*type="application/json"[^>]*>.*?</script>', "", text,
                      flags=re.DOTALL)
        for name, pattern in (("inline script", INLINE_SCRIPT), ("style", STYLE),
                              ("event handler", HANDLER)):
            found += [f"{path.relative_to(ROOT)}: {name}: {m.group(0)[:60]}"
                      for m in pattern.finditer(text)]
    assert len(_templates()) > 20
    assert not found, "\n".join(found)
