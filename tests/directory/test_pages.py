"""Directory pages: filters, languages, permissions, escaping, query counts."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterbridge.accounts.models import Membership, Profile, Role
from clusterbridge.directory.models import Contact

from tests.factories.directory import make_org


@pytest.fixture
def orgs(sectors):
    return [
        make_org("tw-1", name_en="", name_zh="台灣電路板協會", kind="industry_association", country="TW",
                 sectors=["26"], description_zh="高密度互連電路板"),
        make_org("fr-1", name_en="Techtera", country="FR", sectors=["13"], description_en="Textiles cluster"),
        make_org("de-1", name_en="Silicon Saxony", country="DE", sectors=["26"], published=False),
    ]


def user(username, role, org=None):
    u = get_user_model().objects.create_user(username, password="a-long-password-1")
    Profile.objects.create(user=u, role=role)
    if org:
        Membership.objects.create(user=u, organisation=org)
    return u


def test_list_filters_by_country_and_sector_with_counts(client, orgs):
    page = client.get("/organisations/", {"sector": "26"})
    assert [o.external_id for o in page.context["page"]] == ["tw-1"]  # de-1 is unpublished
    assert page.context["facets"]["country"] == [("TW", "TW", 1)]
    page = client.get("/organisations/", {"sector": "C"})  # the section holds divisions 13 and 26
    assert [o.external_id for o in page.context["page"]] == ["fr-1", "tw-1"]
    page = client.get("/organisations/", {"country": "fr"})
    assert [o.external_id for o in page.context["page"]] == ["fr-1"]


def test_list_shows_fallback_language_marked(client, orgs):
    english = client.get("/organisations/").content.decode()
    assert '<span lang="zh-hant">台灣電路板協會</span> <span class="fallback" title="only in Chinese">' in english
    chinese = client.get("/zh-hant/organisations/").content.decode()
    assert '<span lang="en">Techtera</span> <span class="fallback" title="僅有英文">' in chinese
    assert "名錄" in chinese


def test_detail_hides_unpublished_and_private_contacts(client, orgs):
    Contact.objects.create(organisation=orgs[1], name="Private Person", email="p@x.eu", public=False)
    page = client.get("/organisations/fr-1/").content.decode()
    assert "Private Person" not in page
    assert client.get("/organisations/de-1/").status_code == 404


NO_CONTACTS = {"contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"}


def test_member_edits_own_organisation_only(client, orgs):
    member = user("m", Role.MEMBER, orgs[1])
    client.force_login(member)
    assert client.get("/organisations/tw-1/edit/").status_code == 403
    response = client.post("/organisations/fr-1/edit/", {
        "name_en": "Techtera", "name_zh": "法國紡織聚落", "kind": "cluster_organisation", "country": "FR",
        "city": "Lyon", "website": "", "technologies": "smart textiles", "description_en": "Textiles",
        "description_zh": "紡織", "offers": "", "requests": "", "published": "on", "sectors": ["13.96", "13.9"],
        **NO_CONTACTS})
    assert response.status_code == 302
    orgs[1].refresh_from_db()
    assert orgs[1].name_zh == "法國紡織聚落"
    assert sorted(orgs[1].sectors.values_list("code", flat=True)) == ["13.9", "13.96"]
    assert list(orgs[1].technology_tags.values_list("code", flat=True)) == ["technical_textiles"]


def test_anonymous_is_sent_to_login_and_officer_edits_all(client, orgs):
    assert client.get("/organisations/fr-1/edit/").status_code == 302
    client.force_login(user("o", Role.PROGRAMME_OFFICER))
    assert client.get("/organisations/tw-1/edit/").status_code == 200


def test_edit_rejects_bad_input_without_saving(client, orgs):
    client.force_login(user("o", Role.PROGRAMME_OFFICER))
    response = client.post("/organisations/fr-1/edit/", {
        "name_en": "", "name_zh": "", "kind": "cluster_organisation", "country": "XX", "website": "not a url",
        "sectors": ["13", "77.77"], **NO_CONTACTS})
    assert response.status_code == 200
    assert response.context["form"].errors["sectors"] == [
        "Select a valid choice. 77.77 is not one of the available choices."]
    assert response.context["form"].errors["country"] == [
        "Select a valid choice. XX is not one of the available choices."]
    assert response.context["form"].errors["website"] == ["Enter a valid URL."]
    assert response.context["form"].non_field_errors() == ["Give the name in English or in Chinese."]
    assert response.context["form"].errors["website"] == ["Enter a valid URL."]
    orgs[1].refresh_from_db()
    assert orgs[1].name_en == "Techtera"


def test_script_in_descriptions_is_escaped(client, sectors):
    make_org("x-1", name_en="<script>alert(1)</script>", description_en="<img src=x onerror=alert(1)>")
    page = client.get("/organisations/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_list_query_count_does_not_grow_with_items(client, sectors):
    make_org("a-1", sectors=["26"])
    with CaptureQueriesContext(connection) as one:
        client.get("/organisations/")
    make_org("a-2", sectors=["27"])
    make_org("a-3", sectors=["13"])
    with CaptureQueriesContext(connection) as three:
        client.get("/organisations/")
    assert len(three) == len(one)


def test_export_csv_is_safe_against_formula_injection(client, sectors):
    make_org("x-1", name_en="=HYPERLINK(\"http://evil\")", sectors=["26"])
    body = client.get("/organisations/export.csv").content.decode("utf-8-sig")
    assert body.splitlines()[1].startswith('x-1,"\'=HYPERLINK(""http://evil"")"')


def test_import_page_is_for_officers(client, sectors):
    client.force_login(user("m", Role.MEMBER))
    assert client.get("/organisations/import/").status_code == 403


def test_counts_follow_edits_through_the_cache(client, sectors, django_capture_on_commit_callbacks):
    from clusterbridge.directory.services import organisation_update

    org = make_org("fr-1", name_en="Techtera", country="FR")
    assert client.get("/organisations/").context["facets"]["country"] == [("FR", "FR", 1)]
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(organisation=org, data={"country": "DE"})
    page = client.get("/organisations/")
    assert page.context["facets"]["country"] == [("DE", "DE", 1)]
    assert page.context["page"].paginator.count == 1


def test_list_filters_by_ecosystem_with_counts(client, sectors):
    from clusterbridge.directory.models import Ecosystem

    a = make_org("fr-1", name_en="Techtera")
    a.ecosystems.set(Ecosystem.objects.filter(code__in=["textiles"]))
    b = make_org("de-1", name_en="Silicon Saxony", country="DE")
    b.ecosystems.set(Ecosystem.objects.filter(code__in=["electronics", "digital"]))
    page = client.get("/zh-hant/organisations/", {"ecosystem": "electronics"})
    assert [o.external_id for o in page.context["page"]] == ["de-1"]
    assert [(code, n) for code, _, n in page.context["facets"]["ecosystem"]] == [
        ("digital", 1), ("electronics", 1), ("textiles", 1)]
    assert "電子 (1)" in page.content.decode()
