"""A NUL character anywhere in a request is refused with 400 (PostgreSQL cannot store it)."""

import json

import pytest


@pytest.mark.parametrize("url", ["/api/v1/organisations?kind=a%00b", "/api/v1/organisations/search?q=a%00b",
                                 "/api/v1/organisations/a%00b", "/organisations/?q=a%00b", "/organisations/a%00b/",
                                 "/taxonomy/?q=%00", "/cooperation/?q=a%00b"])
def test_nul_in_the_address_or_query_is_a_clear_400(client, sectors, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_nul_in_a_form_or_json_body_is_a_clear_400(client, sectors):
    form = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert (form.status_code, "a form field" in form.content.decode()) == (400, True)
    body = client.patch("/api/v1/organisations/x", json.dumps({"city": "a\x00"}), content_type="application/json")
    assert (body.status_code, "the body" in body.content.decode()) == (400, True)
    assert client.get("/api/v1/organisations?kind=ab").status_code == 200
