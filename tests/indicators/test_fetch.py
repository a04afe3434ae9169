"""fetch-indicators against an SDMX REST server of the test's own on 127.0.0.1 (the offices' APIs are
never reached from the tests): the URL Eurostat's API takes, the slice kept, the import, and errors."""

import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

from clusterbridge.indicators.catalogue import catalogue_load
from clusterbridge.indicators.models import Observation

# What Eurostat's API answers for rd_e_gerdtot, plus a row of another sector (a broader answer).
ANSWER = """DATAFLOW,LAST UPDATE,freq,sectperf,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG
ESTAT:RD_E_GERDTOT(1.0),29/11/24 23:00:00,A,TOTAL,PC_GDP,DE,2022,3.13,
ESTAT:RD_E_GERDTOT(1.0),29/11/24 23:00:00,A,TOTAL,PC_GDP,DE,2023,3.11,p
ESTAT:RD_E_GERDTOT(1.0),29/11/24 23:00:00,A,TOTAL,PC_GDP,EL,2023,1.49,e
ESTAT:RD_E_GERDTOT(1.0),29/11/24 23:00:00,A,TOTAL,PC_GDP,EU27_2020,2023,2.22,ep
ESTAT:RD_E_GERDTOT(1.0),29/11/24 23:00:00,A,BES,PC_GDP,DE,2023,2.11,p
"""


@pytest.fixture
def office():
    """An SDMX REST server: answers the CSV above on /rd_e_gerdtot/..., 404 with a message elsewhere."""
    asked = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append((self.path, self.headers.get("Accept")))
            if self.path.startswith("/rd_e_gerdtot/"):
                body, status = ANSWER.encode(), 200
            else:
                body, status = b"No results found", 404
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.sdmx.data+csv; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()
    server.server_close()


def test_fetch_asks_for_the_preset_slice_keeps_it_and_imports(db, office, tmp_path):
    base, asked = office
    catalogue_load()
    out, path = StringIO(), tmp_path / "gerd.csv"
    call_command("fetch_indicators", "GERD_PCT_GDP", countries="DE,GR,EU,TW", start=2015, end=2024,
                 base_url=base, out=str(path), do_import=True, stdout=out)
    url = urllib.parse.urlsplit(asked[0][0])
    assert url.path == "/rd_e_gerdtot/A.TOTAL.PC_GDP.DE+EL+EU27_2020"  # Eurostat's own codes in the key
    assert urllib.parse.parse_qs(url.query) == {"format": ["SDMX-CSV"], "startPeriod": ["2015"], "endPeriod": ["2024"]}
    assert "sdmx.data+csv" in asked[0][1]
    text = out.getvalue()
    assert "wrote 4 rows" in text and "1 rows of other series left out" in text
    assert "TW is not published by eurostat" in text and "imported: 4 new" in text
    held = {(o.country, o.year): (o.value, o.flag) for o in Observation.objects.filter(indicator__code="GERD_PCT_GDP")}
    assert held == {("DE", 2022): (3.13, ""), ("DE", 2023): (3.11, "p"), ("GR", 2023): (1.49, "e"),
                    ("EU", 2023): (2.22, "ep")}
    assert b"BES" not in path.read_bytes()  # the file written holds the slice only
    assert Observation.objects.filter(source="Eurostat rd_e_gerdtot").count() == 4


def test_an_office_error_is_named_and_nothing_is_imported(db, office, tmp_path):
    base, _asked = office
    catalogue_load()
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("fetch_indicators", "POPULATION", countries="DE", base_url=base, out=str(tmp_path / "p.csv"),
                     do_import=True, stderr=err, stdout=StringIO())
    assert exit_.value.code == 2
    assert "/demo_gind/A.JAN.DE" in err.getvalue() and "answered 404" in err.getvalue()
    assert "No results found" in err.getvalue() and not Observation.objects.exists()
    with pytest.raises(SystemExit):
        call_command("fetch_indicators", "GERD_PCT_GDP", countries="DE", base_url="http://127.0.0.1:9",
                     timeout=2, stderr=err, stdout=StringIO(), out=str(tmp_path / "g.csv"))
    assert "could not be reached" in err.getvalue()
    with pytest.raises(SystemExit):
        call_command("fetch_indicators", "PCT_APPLICATIONS", base_url=base, stderr=err, stdout=StringIO())
    assert "no preset for PCT_APPLICATIONS" in err.getvalue()
