"""One member could break a public download with a control character (issue "Nothing lost, nothing
forged", defect 1): text is cleaned where it comes in, and exports are robust anyway."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from clusterbridge.accounts.models import Membership, Profile, Role
from clusterbridge.accounts.services import api_token_create
from clusterbridge.directory.models import Organisation
from clusterbridge.directory.services import organisations_import
from tests.factories.directory import make_org

pytestmark = pytest.mark.django_db


def _member_key(org):
    user = get_user_model().objects.create_user("ana", password="a-long-password-1")
    Profile.objects.create(user=user, role=Role.MEMBER)
    Membership.objects.create(user=user, organisation=org)
    return api_token_create(user=user, name="crm")


def test_a_control_character_through_the_api_is_cleaned_and_the_export_still_works(client, sectors):
    org = make_org("tw-1", name_en="Fab One", country="TW")
    answer = client.patch("/api/v1/organisations/tw-1", json.dumps({"description_en": "a\u0001b\u007fc\u0085d\te"}),
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {_member_key(org)}")
    assert answer.status_code == 200
    org.refresh_from_db()
    assert org.description_en == "abcd\te"
    export = client.get("/organisations/export.xlsx")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "tw-1"


def test_text_that_got_in_another_way_does_not_break_the_exports(client, sectors):
    make_org("tw-2", name_en="Fab Two", country="TW")
    Organisation.objects.filter(external_id="tw-2").update(name_en="Fab\u0001Two\u007f")  # no save(): no cleaning
    for fmt in ("xlsx", "csv"):
        assert client.get(f"/organisations/export.{fmt}").status_code == 200
    body = client.get("/organisations/export.csv").content.decode("utf-8-sig")
    assert "FabTwo" in body and "\u0001" not in body


def test_an_import_with_nul_and_control_characters_is_cleaned_cell_by_cell(sectors, django_capture_on_commit_callbacks):
    data = ("external_id,name_en,name_zh,kind,country,sectors,city\n"
            "tw-9,Wafer\u0000 Works,晶圓\u0007廠,company,TW,C26,Hsin\u001bchu\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        result = organisations_import(data=data, filename="members.csv")
    assert result.ok, result.errors
    org = Organisation.objects.get(external_id="tw-9")
    assert (org.name_en, org.name_zh, org.city) == ("Wafer Works", "晶圓廠", "Hsinchu")


def test_a_name_made_only_of_control_characters_is_refused_as_empty_not_a_server_error(client, sectors):
    org = make_org("tw-3", name_en="Fab Three", country="TW")
    answer = client.patch("/api/v1/organisations/tw-3", json.dumps({"name_en": "\u0001"}),
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {_member_key(org)}")
    assert answer.status_code == 422
    org.refresh_from_db()
    assert org.name_en == "Fab Three"
