"""The shipped classifications: complete NACE Rev. 2, technologies; filters and the taxonomy page."""

import csv
from pathlib import Path

import pytest

from clusterbridge.directory.models import Organisation, Sector, Technology
from clusterbridge.directory.services import organisations_import, sectors_load, technologies_load
from clusterbridge.directory.technologies import TechnologyMatcher, split_terms

from tests.factories.directory import make_org

DATA = Path(__file__).resolve().parents[2] / "src" / "clusterbridge" / "directory" / "data"


def test_nace_file_is_complete_and_bilingual():
    with open(DATA / "nace-rev2.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    levels = {}
    for r in rows:
        levels[r["level"]] = levels.get(r["level"], 0) + 1
    assert levels == {"section": 21, "division": 88, "group": 272, "class": 615}
    assert all(r["label_en"] and r["label_zh"] for r in rows)
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == 996
    seen = set()
    for r in rows:  # every parent comes before its children
        assert r["parent"] == "" or r["parent"] in seen, r["code"]
        seen.add(r["code"])
    assert {"26.11", "28.41", "62.01", "94.11", "99.00"} <= seen


def test_sectors_load_is_idempotent_and_files_every_level_under_its_section(db):
    assert sectors_load() == 996
    assert sectors_load() == 996
    assert Sector.objects.count() == 996
    chip = Sector.objects.get(code="26.11")
    assert (chip.level, chip.section, chip.parent.code, chip.parent.parent.code) == ("class", "C", "26.1", "26")
    assert "半導體" in chip.synonyms


def test_sector_filter_reaches_everything_below(client, sectors):
    make_org("tw-chip", name_en="Chip maker", country="TW", sectors=["26.11"])
    make_org("tw-pcb", name_en="PCB maker", country="TW", sectors=["26.12"])
    make_org("de-tools", name_en="Tool maker", country="DE", sectors=["28.41"])

    def ids(sector):
        return [o.external_id for o in client.get("/organisations/", {"sector": sector}).context["page"]]

    assert ids("C") == ["tw-chip", "tw-pcb", "de-tools"]  # by name
    assert ids("26") == ["tw-chip", "tw-pcb"]
    assert ids("26.1") == ["tw-chip", "tw-pcb"]
    assert ids("26.11") == ["tw-chip"]
    assert ids("2") == []
    page = client.get("/organisations/", {"sector": "26.11"})
    assert page.context["facets"]["sector"][0][0] == "26.11"  # the chosen class stays selectable
    assert 'value="26.11" selected' in page.content.decode()


def test_technology_matcher_finds_list_entries_in_free_words():
    matcher = TechnologyMatcher.build({
        "5g": ["5G and mobile networks", "5G與行動通訊", "5G", "private 5G"],
        "ai": ["Artificial intelligence", "人工智慧", "AI", "machine learning"],
        "machine_tools": ["Machine tools and CNC", "工具機", "CNC", "machine tools"],
    })
    assert matcher.codes(split_terms("private 5G test networks; AI-based inspection")) == ["5g", "ai"]
    assert matcher.codes(["五軸CNC工具機"]) == ["machine_tools"]
    assert matcher.codes(["maintenance", "Thailand", "5Gs"]) == []  # whole words only in Latin script
    assert matcher.codes(["機器學習與人工智慧"]) == ["ai"]


def test_technologies_are_filed_on_import_and_edit_and_filterable(client, sectors):
    assert Technology.objects.count() == technologies_load() >= 40
    data = ("external_id,name_en,kind,country,sectors,technologies\n"
            "tw-1,Fab One,company,TW,C26.11,wafer-level packaging;半導體\n"
            "de-1,Windy,company,DE,D35.11,offshore wind foundations\n").encode()
    assert organisations_import(data=data, filename="o.csv").ok
    fab = Organisation.objects.get(external_id="tw-1")
    assert sorted(fab.technology_tags.values_list("code", flat=True)) == ["advanced_packaging", "semiconductors"]
    page = client.get("/organisations/", {"technology": "wind_energy"})
    assert [o.external_id for o in page.context["page"]] == ["de-1"]
    facet = dict((code, n) for code, _t, n in client.get("/organisations/").context["facets"]["technology"])
    assert facet == {"advanced_packaging": 1, "semiconductors": 1, "wind_energy": 1}
    listing = client.get("/api/v1/organisations", {"technology": "semiconductors"}).json()
    assert [o["external_id"] for o in listing["items"]] == ["tw-1"]


@pytest.mark.parametrize("lang,expected", [("en", "Manufacture of electronic components"), ("zh-hant", "電子零組件製造")])
def test_taxonomy_page_lists_codes_in_the_visitors_language(client, sectors, lang, expected):
    prefix = "" if lang == "en" else "/zh-hant"
    page = client.get(f"{prefix}/taxonomy/", {"q": "semiconductor"})
    html = page.content.decode()
    assert page.status_code == 200 and expected in html and "26.11" in html
    assert "Growing of rice" not in html  # filtered by the query
    assert client.get("/taxonomy/").content.decode().count('class="level-class"') == 615


# --- the in-memory index answers exactly what the database answers ---------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from clusterbridge.directory import selectors  # noqa: E402
from clusterbridge.directory.facet_index import FacetIndex, IndexRow, nace_with_ancestors  # noqa: E402


def test_bitsets_select_count_and_page():
    rows = [IndexRow(id=10 + i, country="TW" if i % 2 else "DE", kind="company", label="",
                     sectors=nace_with_ancestors("26.11", "C") if i % 3 == 0 else ()) for i in range(200)]
    index = FacetIndex.build(rows)
    mask = index.select({"country": "TW", "sector": "26"})
    assert mask.bit_count() == len([i for i in range(200) if i % 2 and i % 3 == 0])
    assert index.page(mask, 0, 3) == [13, 19, 25]
    assert index.page(mask, 2, 2) == [25, 31]
    assert index.page(0, 0, 5) == []
    assert index.facets({"country": "TW"})["country"] == {"TW": 100, "DE": 100}  # a facet ignores its own choice
    assert nace_with_ancestors("26.11", "C") == ("26.11", "26.1", "26", "C")
    assert nace_with_ancestors("C", "C") == ("C",)


@pytest.fixture
def mixed_directory(sectors):
    import random

    rng = random.Random(4)
    codes = ["26.11", "26.12", "28.41", "13.96", "62.01", "35.11", "26", "C", "10.89"]
    terms = ["semiconductors", "5G", "wind", "半導體", "machine tools", "AI", ""]
    for i in range(60):
        make_org(f"o-{i:02d}", name_en=rng.choice(["", f"Org {rng.randint(1, 99)}", "Ärzte", "Zeta"]) or "",
                 name_zh=f"組織{i}", country=rng.choice(["TW", "DE", "FR"]),
                 kind=rng.choice(["company", "cluster_organisation"]), label=rng.choice(["", "esca_gold"]),
                 technologies=";".join(rng.sample(terms, 2)), description_en=rng.choice(["wind parks", "chips", ""]),
                 sectors=rng.sample(codes, rng.randint(0, 2)), published=rng.random() > 0.15)
    return True


@given(country=st.sampled_from(["", "TW", "DE", "XX"]), kind=st.sampled_from(["", "company"]),
       sector=st.sampled_from(["", "C", "26", "26.1", "26.11", "28.4", "J", "2"]),
       technology=st.sampled_from(["", "semiconductors", "wind_energy"]),
       label=st.sampled_from(["", "esca_gold"]), q=st.sampled_from(["", "wind", "半導體", "org 1", "zz"]),
       page=st.integers(min_value=1, max_value=3))
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_index_agrees_with_the_database(mixed_directory, client, country, kind, sector, technology, label, q, page):
    f = selectors.DirectoryFilters(q=q, country=country, kind=kind, sector=sector, technology=technology, label=label)
    from_db = selectors.organisation_list(filters=f)
    assert selectors.organisation_count(filters=f) == from_db.count()
    assert selectors.organisation_facets(filters=f) == selectors.organisation_facets_from_database(filters=f)
    offset = (page - 1) * 10
    assert selectors.organisation_page_ids(filters=f, offset=offset, limit=10) == \
        [o.id for o in from_db[offset:offset + 10]]


def test_admin_style_saves_refresh_the_index(client, sectors, django_capture_on_commit_callbacks):
    org = make_org("fr-1", name_en="Techtera", country="FR")
    assert client.get("/organisations/").context["page"].paginator.count == 1
    with django_capture_on_commit_callbacks(execute=True):
        org.published = False
        org.save()  # as the admin does: no service involved
    assert client.get("/organisations/").context["page"].paginator.count == 0


def test_the_technology_list_and_the_text_stay_one(client, sectors):
    from django.contrib.auth import get_user_model

    from clusterbridge.accounts.models import Membership, Profile, Role
    from clusterbridge.directory.models import Organisation, Technology

    org = make_org("fr-x", name_en="Techtera", country="FR", technologies="smart textiles; weaving looms")
    user = get_user_model().objects.create_user("m", password="a-long-password-1")
    Profile.objects.create(user=user, role=Role.MEMBER)
    Membership.objects.create(user=user, organisation=org)
    client.force_login(user)
    had = list(org.technology_tags.values_list("code", flat=True))
    assert had  # "smart textiles" is on the list
    extra = Technology.objects.exclude(code__in=had).order_by("code").first()
    form = {"name_en": "Techtera", "kind": "cluster_organisation", "country": "FR", "technologies": org.technologies,
            "published": "on", "technology_list": [extra.code], "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0"}
    assert client.post("/organisations/fr-x/edit/", form).status_code == 302
    org = Organisation.objects.get(pk=org.pk)
    assert list(org.technology_tags.values_list("code", flat=True)) == [extra.code]  # unticked ones went
    assert "smart textiles" not in org.technologies and "weaving looms" in org.technologies  # free terms stay
    assert extra.label_en in org.technologies
