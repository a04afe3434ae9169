"""clusterbridge fetch-indicators CODE [--countries DE,FR] [--from Y] [--to Y] [--out FILE] [--import]:
fetches an indicator's values from Eurostat (or, with --source oecd, the OECD) as SDMX-CSV, writes the
file import-indicators reads and, with --import, imports it. Exit 2 when the office cannot be reached or
the file has errors; nothing is imported then."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from clusterbridge.indicators import fetch
from clusterbridge.indicators.imports import values_import
from clusterbridge.indicators.management.commands.import_indicators import report
from clusterbridge.indicators.selectors import DEFAULT_COUNTRIES


class Command(BaseCommand):
    help = "Fetch indicator values from Eurostat or the OECD as SDMX-CSV (and import them with --import)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the catalogue code the values are imported as")
        parser.add_argument("--source", choices=["eurostat", "oecd"], default="eurostat")
        parser.add_argument("--countries", default=",".join(DEFAULT_COUNTRIES), help="ISO alpha-2, comma-separated")
        parser.add_argument("--from", dest="start", type=int)
        parser.add_argument("--to", dest="end", type=int)
        parser.add_argument("--dataset", default="", help="Eurostat dataset code, or the OECD dataflow")
        parser.add_argument("--key", default="", help="the SDMX key, when the preset's is not the one wanted")
        parser.add_argument("--dimensions", default="", help="dimension=code,... the slice to keep")
        parser.add_argument("--base-url", default="", help="the API's data URL (another mirror, or a test server)")
        parser.add_argument("--out", default="", help="where to write the SDMX-CSV (default CODE-DATE.csv)")
        parser.add_argument("--import", dest="do_import", action="store_true", help="import the file when fetched")
        parser.add_argument("--timeout", type=float, default=60)

    def handle(self, *args, code, source, countries, start, end, dataset, key, dimensions, base_url, out,
               do_import, timeout, **options):
        code = code.upper()
        chosen = [c.strip().upper() for c in countries.split(",") if c.strip()]
        dims = dict(part.split("=", 1) for part in dimensions.split(",") if "=" in part)
        try:
            if source == "oecd":
                request = fetch.oecd_request(dataset, key, start, end, **({"base": base_url} if base_url else {}))
                request.dimensions = dims
            else:
                request = fetch.eurostat_request(code, chosen, start, end, dataset=dataset, key=key,
                                                 dimensions=dims or None, **({"base": base_url} if base_url else {}))
            self.stdout.write(f"fetching {request.url}")
            data, dropped = fetch.sliced(fetch.download(request, timeout=timeout), request.dimensions)
        except fetch.FetchError as error:
            self.stderr.write(str(error))
            sys.exit(2)
        path = Path(out or f"{code}-{timezone.localdate():%Y%m%d}.csv")
        path.write_bytes(data)
        rows = data.count(b"\n") - 1
        self.stdout.write(f"wrote {rows} rows to {path}"
                          + (f" ({dropped} rows of other series left out)" if dropped else ""))
        for country in request.left_out:
            self.stdout.write(f"{country} is not published by {source}: fetch it with --source oecd")
        if not do_import:
            return
        named = dataset or getattr(fetch.PRESETS.get(code), "dataset", "")
        result = values_import(data, indicator=code, source=f"{'Eurostat' if source == 'eurostat' else 'OECD'} {named}")
        report(self, result, kept=f" (the file is kept at {path})")
