"""Every URL of the project, asked by someone who has not logged in, leads to the login page
(the API answers 401) — except the pages declared public here: the login itself, the
language switch and the public pages of a village's liaison officer (reports/public_*.py),
which must then answer without a login. A new public page is declared here, on purpose."""

import pytest
from django.urls import reverse

from .test_every_url import _urls, world  # noqa: F401 - the fixture

PUBLIC = {
    "accounts:login",  # logging in
    "set_language",  # the language switch (a POST that redirects back)
    "public:search",  # the public pages: a village's liaison officer, no personal data
    "public:unit",
    "api-1:openapi-json",  # the API's own description and its documentation page
    "api-1:openapi-view",
}
# Paths that name nothing: a 404 to everyone.
NOTHING = {"api-1:api-root", "api_not_found"}


def test_every_url_but_the_public_ones_needs_a_login(world, client):  # noqa: F811
    client.raise_request_exception = False
    login = reverse("accounts:login")
    problems = []
    for name, url in _urls(world):
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        if name in PUBLIC:
            if response.status_code not in (200, 302):
                problems.append(f"{name} {url}: public, but {response.status_code}")
            continue
        if name in NOTHING:
            if response.status_code != 404:
                problems.append(f"{name} {url}: {response.status_code}, not 404")
            continue
        if name.startswith("api-1:"):
            if response.status_code not in (401, 403, 405):
                problems.append(f"{name} {url}: {response.status_code} without a token")
            continue
        to_login = response.status_code == 302 and response.url.startswith(login)
        if not to_login:
            problems.append(f"{name} {url}: {response.status_code} without a login")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ["public:search", "public:unit"])
def test_the_public_pages_answer_without_a_login(world, client, name):  # noqa: F811
    kwargs = {"code": world.community.code} if name == "public:unit" else {}
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
