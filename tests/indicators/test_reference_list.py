"""The technology exchange reference list (issue 20): European organisations only, ranked by partner
search across languages, officers' edits kept across refreshes, published versions, exports, the
API of the spec and the invitation to an event."""

import io

import openpyxl
import pytest

from clusterbridge.accounts.models import Role
from clusterbridge.indicators.models import ReferenceVersion
from clusterbridge.indicators.reference import reference_list
from tests.factories import events as ef
from tests.factories.directory import make_org


@pytest.fixture
def world(sectors):
    make_org("de-vdw", name_en="Stuttgart Machine Tool Cluster", country="DE", label="esca_gold",
             description_en="CNC machine tools, Industry 4.0, spindles and controllers", sectors=["28.41"])
    make_org("it-mec", name_en="Lombardy Mechatronics", country="IT",
             description_en="Machine tools and robotics for smart manufacturing", sectors=["28.41"])
    make_org("tw-tmba", name_en="", name_zh="台中精密機械協會", kind="industry_association", country="TW",
             description_zh="五軸工具機、智慧製造、主軸與控制器", sectors=["28.41"])
    make_org("fr-tex", name_en="Lyon Textiles", country="FR", description_en="Functional fabrics for sportswear")
    officer = ef.person("olivia", role=Role.PROGRAMME_OFFICER)
    return {"officer": officer}


def _ids(listing):
    return [r["external_id"] for r in listing["organisations"]]


def test_european_organisations_ranked_with_reasons_from_either_language(world):
    listing = reference_list("工具機")
    assert set(_ids(listing)) == {"de-vdw", "it-mec"}  # Taiwan's own association is not on it
    first = listing["organisations"][0]
    assert first["external_id"] == "de-vdw" and "ESCA Gold" in first["reasons"]
    assert set(_ids(reference_list("machine tools"))) == {"de-vdw", "it-mec"}


def test_officers_edits_survive_a_refresh_and_a_published_year_is_frozen(client, world):
    client.force_login(world["officer"])
    page = "/indicators/reference-list/?technology=machine+tools"
    italy = reference_list("machine tools")["organisations"][1]["organisation"]
    germany = reference_list("machine tools")["organisations"][0]["organisation"]
    textiles = make_org("fr-tex2", name_en="Lyon Smart Fabrics", country="FR", description_en="Fabrics")
    client.post(page, {"action": "pin", "organisation": italy.pk, "note": ""})
    client.post(page, {"action": "note", "organisation": italy.pk, "note": "Met in Milan, 2025"})
    client.post(page, {"action": "remove", "organisation": germany.pk})
    client.post(page, {"action": "pin", "organisation": textiles.pk})
    listing = reference_list("machine tools")
    assert sorted(_ids(listing)[:2]) == ["fr-tex2", "it-mec"] and "de-vdw" not in _ids(listing)
    pinned = next(r for r in listing["organisations"] if r["external_id"] == "it-mec")
    assert (pinned["pinned"], pinned["note"]) == (True, "Met in Milan, 2025")  # a note keeps the pin
    assert "fr-tex2" in _ids(listing) and "pinned by an officer" in listing["organisations"][
        _ids(listing).index("fr-tex2")]["reasons"]  # pinned although the search does not find it
    client.post(page, {"action": "publish", "year": "2026"})
    frozen = ReferenceVersion.objects.get(year=2026)
    assert [r["external_id"] for r in frozen.rows][0] in ("it-mec", "fr-tex2")
    client.post(page, {"action": "clear", "organisation": germany.pk})
    assert "de-vdw" in _ids(reference_list("machine tools"))
    assert "de-vdw" not in [r["external_id"] for r in ReferenceVersion.objects.get(year=2026).rows]
    member = ef.person("mia")
    client.force_login(member)
    assert client.post(page, {"action": "remove", "organisation": italy.pk}).status_code == 403


def test_exports_the_api_and_the_invitation(client, world, mailoutbox):
    client.force_login(world["officer"])
    book = openpyxl.load_workbook(io.BytesIO(client.get("/indicators/reference-list/", {
        "technology": "machine tools", "format": "xlsx"}).content))
    sheet = book.worksheets[0]
    assert [sheet.cell(1, c).value for c in (1, 2, 3)] == ["Rank", "Organisation", "Country"]
    assert sheet.cell(2, 2).value == "Stuttgart Machine Tool Cluster"
    pdf = client.get("/indicators/reference-list/", {"technology": "machine tools", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    answer = client.get("/api/v1/reference-list", {"technology": "工具機", "limit": 5}).json()
    assert answer["organisations"][0] == {"external_id": "de-vdw", "name": "Stuttgart Machine Tool Cluster",
                                          "country": "DE", "kind": "cluster_organisation",
                                          "reasons": answer["organisations"][0]["reasons"], "pinned": False, "note": ""}
    from clusterbridge.directory.models import Organisation

    colleague = ef.person("hans", organisation=Organisation.objects.get(external_id="de-vdw"))
    event = ef.event(world["officer"], title_en="Taipei machine tools matchmaking")
    client.post("/indicators/reference-list/?technology=machine+tools", {"action": "invite", "event": event.pk})
    assert colleague.inbox.filter(kind="indicators.invited_to_event").exists()
