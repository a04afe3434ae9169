"""The collection notice (PDPA Art. 8) stands beside every form that takes personal data: every page of
the site is asked, as each role, and a page whose form has a personal-data field must carry it."""

import re

import pytest

from tests.test_no_server_errors import _path, _routes, world  # noqa: F401 - the walker's world fixture

PERSONAL = re.compile(r"""<(?:input|textarea)[^>]*\bname="(?:[\w-]*-)?(email|phone|full_name|attendee_role|seeking|"""
                      r"""organiser_contact)"[^>]*>""")
NOT_COLLECTING = ("/accounts/password-reset/", "/accounts/login/", "/privacy/audit/", "/privacy/people/")


def _pages_with_personal_fields(client, world):
    for route in _routes():
        path = _path(route, world, lambda choices: choices[0])
        if path.startswith(NOT_COLLECTING) or "export" in path:
            continue
        response = client.get(path)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            html = response.content.decode()
            fields = PERSONAL.findall(html)
            if fields:
                yield path, fields, 'id="collection-notice"' in html


@pytest.mark.parametrize("role", ["anonymous", "participant", "officer"])
def test_every_form_that_takes_personal_data_carries_the_collection_notice(client, world, role):
    if world[role] is not None:
        client.force_login(world[role])
    seen = list(_pages_with_personal_fields(client, world))
    assert [(path, fields) for path, fields, has_notice in seen if not has_notice] == []
    assert seen, "the walk found no form with personal data: the pattern no longer matches the pages"


def test_the_known_forms_carry_it_in_both_languages(client, db):
    for page in ("/accounts/sign-up/", "/zh-hant/accounts/sign-up/"):
        html = client.get(page).content.decode()
        assert 'id="collection-notice"' in html and 'href="' in html
    assert "蒐集" in client.get("/zh-hant/accounts/sign-up/").content.decode()
