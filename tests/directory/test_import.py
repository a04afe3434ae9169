"""Importing writes all or nothing, and a re-import updates."""

import pytest
from django.core.management import call_command

from clusterbridge.directory.models import Organisation
from clusterbridge.directory.services import organisations_import

HEADER = "external_id,name_en,name_zh,kind,country,sectors\n"


def test_import_creates_then_updates(sectors):
    first = organisations_import(data=(HEADER + "tw-1,TPCA,台灣電路板協會,industry_association,TW,C26\n"
                                       "fr-1,Techtera,,cluster_organisation,FR,13\n").encode(), filename="a.csv")
    assert (first.ok, first.created, first.updated) == (True, 2, 0)
    again = organisations_import(data=(HEADER + "tw-1,TPCA new,台灣電路板協會,industry_association,TW,C27\n").encode(),
                                 filename="a.csv")
    assert (again.created, again.updated) == (0, 1)
    org = Organisation.objects.get(external_id="tw-1")
    assert (org.name_en, [s.code for s in org.sectors.all()]) == ("TPCA new", ["27"])
    assert Organisation.objects.count() == 2


def test_import_writes_nothing_when_one_row_is_wrong(sectors):
    result = organisations_import(data=(HEADER + "tw-1,TPCA,,industry_association,TW,C26\n"
                                        "tw-2,Bad,,industry_association,ZZ,C26\n").encode(), filename="a.csv")
    assert result.errors == ['row 3, column country: "ZZ" is not an ISO 3166-1 alpha-2 code such as TW, FR, DE']
    assert Organisation.objects.count() == 0


def test_dry_run_writes_nothing(sectors):
    result = organisations_import(data=(HEADER + "tw-1,TPCA,,industry_association,TW,C26\n").encode(),
                                  filename="a.csv", dry_run=True)
    assert (result.ok, result.created) == (True, 1)
    assert Organisation.objects.count() == 0


def test_command_exit_codes(sectors, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "tw-1,TPCA,,industry_association,TW,C26\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "tw-1,TPCA,,nonsense,TW,C26\n", encoding="utf-8")
    call_command("import_organisations", str(good), "--dry-run")
    assert capsys.readouterr().out.strip() == "would create 1, would update 0 organisation(s)"
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_organisations", str(bad))
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith('row 2, column kind: "nonsense" is not one of')
    call_command("import_organisations", str(good))
    assert Organisation.objects.filter(external_id="tw-1").count() == 1


def test_search_follows_imports_and_edits(client, sectors, django_capture_on_commit_callbacks):
    from clusterbridge.directory.services import organisation_update

    def found(word):
        return [f.organisation.external_id for f in client.get("/organisations/", {"q": word}).context["page"]]

    first = HEADER + "tw-9,Fab Nine,晶圓九廠,company,TW,C26\n"
    with django_capture_on_commit_callbacks(execute=True):
        assert organisations_import(data=first.encode(), filename="a.csv").ok
    assert found("晶圓") == ["tw-9"] and found("FAB") == ["tw-9"]
    again = HEADER + "tw-9,Wafer Works,,company,TW,C26\n"
    with django_capture_on_commit_callbacks(execute=True):
        assert organisations_import(data=again.encode(), filename="a.csv").ok
    assert found("fab") == [] and found("wafer") == ["tw-9"]
    org = Organisation.objects.get(external_id="tw-9")
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(organisation=org, data={"description_en": "Gallium nitride epitaxy"})
    assert found("Gallium") == ["tw-9"]


@pytest.mark.django_db
def test_a_database_without_the_taxonomy_says_how_to_load_it():
    result = organisations_import(data=(HEADER + "tw-1,TPCA,,industry_association,TW,C26.1\n").encode(),
                                  filename="a.csv")
    assert result.errors == ["row 2, column sectors: the NACE Rev. 2 taxonomy is not loaded in this database yet: "
                             "run `clusterbridge load-taxonomy` once, then import again"]


@pytest.mark.django_db
def test_a_file_with_some_columns_leaves_the_others_alone_and_the_dry_run_shows_each_change(
        sectors, django_capture_on_commit_callbacks):
    full = ("external_id,name_en,name_zh,kind,country,city,sectors,technologies\n"
            "tw-1,TPCA,台灣電路板協會,industry_association,TW,Taoyuan,C26.1,PCB\n")
    with django_capture_on_commit_callbacks(execute=True):
        assert organisations_import(data=full.encode(), filename="a.csv").ok
    partial = "external_id,name_en,kind,country\ntw-1,Taiwan Printed Circuit Association,industry_association,TW\n"
    preview = organisations_import(data=partial.encode(), filename="b.csv", dry_run=True)
    assert preview.changes == [{"row": 2, "external_id": "tw-1",
                                "fields": [["name_en", "TPCA", "Taiwan Printed Circuit Association"]]}]
    with django_capture_on_commit_callbacks(execute=True):
        done = organisations_import(data=partial.encode(), filename="b.csv")
    assert (done.ok, done.updated) == (True, 1)
    org = Organisation.objects.get(external_id="tw-1")
    assert (org.name_en, org.name_zh, org.city, org.technologies) == (
        "Taiwan Printed Circuit Association", "台灣電路板協會", "Taoyuan", "PCB")
    assert list(org.sectors.values_list("code", flat=True)) == ["26.1"]
    # an empty cell in a column the file has clears that field
    clearing = "external_id,name_zh,kind,country,city,sectors\ntw-1,台灣電路板協會,industry_association,TW,,\n"
    assert organisations_import(data=clearing.encode(), filename="c.csv", dry_run=True).changes == [
        {"row": 2, "external_id": "tw-1", "fields": [["city", "Taoyuan", ""], ["sectors", "26.1", ""]]}]
    with django_capture_on_commit_callbacks(execute=True):
        assert organisations_import(data=clearing.encode(), filename="c.csv").ok
    org.refresh_from_db()
    assert (org.city, org.name_zh, org.sectors.count()) == ("", "台灣電路板協會", 0)


@pytest.mark.django_db
def test_a_small_workbook_with_too_many_rows_is_refused_while_it_is_read(sectors, settings):
    """A 1.2 MB workbook held 400,000 rows: the reading stops at the stated maximum."""
    import io

    from openpyxl import Workbook

    settings.IMPORT_MAX_ROWS = 1000
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("organisations")
    sheet.append(["external_id", "name_en", "kind", "country"])
    for n in range(5000):
        sheet.append([f"tw-{n}", f"Org {n}", "company", "TW"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = organisations_import(data=buffer.getvalue(), filename="big.xlsx", dry_run=True)
    assert result.errors == ["file: the file has more than 1,000 rows; split it into files of at most 1,000 "
                             "organisations"]
    csv_text = "external_id,name_en,kind,country\n" + "".join(f"tw-{n},Org {n},company,TW\n" for n in range(1500))
    assert organisations_import(data=csv_text.encode(), filename="big.csv", dry_run=True).errors == result.errors
    wide = "external_id,name_en,kind,country\n" + "tw-1,Org,company,TW" + ",x" * 60 + "\n"
    assert organisations_import(data=wide.encode(), filename="wide.csv").errors == [
        "file: line 2 has more than 50 cells"]
    assert Organisation.objects.count() == 0
