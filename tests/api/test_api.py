"""The API: the search contract of specs/directory-exchange.md and the OpenAPI document."""

from tests.factories.directory import make_org


def test_search_returns_ranked_results_with_explanations(client, sectors):
    make_org("de-1", name_en="Stuttgart Machine Tools Cluster", country="DE", technologies="machine tools;CNC")
    make_org("fr-1", name_en="Lyon Textiles", country="FR", technologies="textiles", offers="machine repair")
    make_org("tw-1", name_en="", name_zh="工具機公會", country="TW")
    body = client.get("/api/v1/organisations/search", {"q": "machine tools", "limit": 5}).json()
    assert body["query"] == "machine tools"
    # The Chinese-only association (工具機 = machine tools) is found through the concept.
    # "machine repair" has one word of two and no concept: not a match.
    assert [r["external_id"] for r in body["results"]] == ["de-1", "tw-1"]
    assert body["results"][0]["explanation"] == ["machine tools (工具機)"]
    assert body["results"][1]["explanation"] == ["machine tools (工具機)"]
    repair = client.get("/api/v1/organisations/search", {"q": "repair"}).json()
    assert [(r["external_id"], r["explanation"]) for r in repair["results"]] == [("fr-1", ["repair"])]
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert set(body["results"][0]) == {"external_id", "name", "country", "score", "explanation"}
    filtered = client.get("/api/v1/organisations/search", {"q": "machine", "country": "FR"}).json()
    assert filtered["total"] == 1
    assert [r["external_id"] for r in filtered["results"]] == ["fr-1"]


def test_search_with_empty_or_symbol_query_answers_empty(client, sectors):
    empty = {"query": "", "results": [], "corrected": None, "total": 0}
    assert client.get("/api/v1/organisations/search", {"q": ""}).json() == empty
    assert client.get("/api/v1/organisations/search", {"q": "%%%"}).json() == {**empty, "query": "%%%"}


def test_list_and_detail_and_openapi(client, sectors):
    make_org("de-1", name_en="Silicon Saxony", country="DE", sectors=["26"])
    make_org("fr-1", name_en="Hidden", country="FR", published=False)
    listing = client.get("/api/v1/organisations", {"limit": 10}).json()
    assert (listing["count"], listing["items"][0]["sectors"]) == (1, ["26"])
    assert client.get("/api/v1/organisations/fr-1").status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/organisations/search" in schema["paths"]


def test_search_crosses_languages_through_the_technology_list(client, sectors):
    make_org("tw-1", name_en="", name_zh="新竹晶圓廠", country="TW", technologies="半導體;晶圓級封裝")
    make_org("de-1", name_en="Dresden Chips", country="DE", technologies="semiconductors")
    make_org("fr-1", name_en="Lyon Textiles", country="FR", technologies="technical textiles")
    body = client.get("/api/v1/organisations/search", {"q": "semiconductors"}).json()
    assert [r["external_id"] for r in body["results"]] == ["de-1", "tw-1"]
    assert body["results"][1]["explanation"] == ["semiconductors (半導體)"]
    chinese = client.get("/api/v1/organisations/search", {"q": "半導體", "lang": "zh-hant"}).json()
    assert [r["external_id"] for r in chinese["results"]] == ["tw-1", "de-1"]
    assert chinese["results"][1]["explanation"] == ["半導體 (semiconductors)"]
    page = client.get("/zh-hant/organisations/", {"q": "半導體"})
    assert [f.organisation.external_id for f in page.context["page"]] == ["tw-1", "de-1"]
    html = page.content.decode()
    assert '<span class="concept">半導體 (semiconductors)</span>' in html
    assert "<mark>semiconductors</mark>" in html  # the English profile's snippet, marked
