"""Demo indicators: Taiwan's published figures (programme-facts, `innovation_indicators`) as they are,
and generated series for the EU and a handful of member states, marked `generated` and shown so on
every page and export. The generated series are smooth trends with a fixed seed, not statistics."""

from __future__ import annotations

import random

from django.db import transaction

from .catalogue import catalogue_load
from .models import Indicator, Observation

PUBLISHED_TW = [  # (code, year, value, source)
    ("GERD_PCT_GDP", 2020, 3.63, "NSTC national science and technology survey"),
    ("GERD_PCT_GDP", 2023, 3.98, "NSTC national science and technology survey, released 2024-10-31"),
    ("TBP_RECEIPTS", 2015, 36_200.0, "MOEA (TWD millions)"),
    ("TBP_PAYMENTS", 2015, 160_100.0, "MOEA (TWD millions)"),
    ("IMD_WCY_RANK", 2025, 6, "IMD via the National Development Council"),
    ("IMD_ECONOMIC_PERFORMANCE_RANK", 2025, 10, "IMD via the National Development Council"),
    ("IMD_GOVERNMENT_EFFICIENCY_RANK", 2025, 8, "IMD via the National Development Council"),
    ("IMD_BUSINESS_EFFICIENCY_RANK", 2025, 4, "IMD via the National Development Council"),
    ("IMD_INFRASTRUCTURE_RANK", 2025, 10, "IMD via the National Development Council"),
]
# Generated: (country, GERD level in 2012, yearly change) and a BERD share of it.
GENERATED = [("EU", 2.05, 0.012), ("DE", 2.85, 0.02), ("FR", 2.22, 0.0), ("NL", 1.95, 0.03), ("BE", 2.3, 0.07),
             ("IT", 1.27, 0.015), ("SE", 3.3, 0.01), ("TW", 2.95, 0.08)]
# Generated context for the per-inhabitant and share-of-GDP views: (population in 2012, yearly growth;
# GDP in national currency, millions, in 2012, yearly growth; PCT applications in 2012 or None).
CONTEXT = {"EU": (441e6, 0.001, 13.6e6, 0.035, None), "DE": (80.3e6, 0.003, 2.75e6, 0.03, 18_800),
           "FR": (65.3e6, 0.004, 2.09e6, 0.028, 7_800), "NL": (16.7e6, 0.006, 0.65e6, 0.04, 4_100),
           "BE": (11.1e6, 0.005, 0.39e6, 0.035, 1_200), "IT": (59.4e6, -0.001, 1.62e6, 0.02, 2_900),
           "SE": (9.5e6, 0.009, 3.8e6, 0.045, 3_900), "TW": (23.3e6, 0.0, 14.7e6, 0.045, None)}
# Taiwan's GDP in 2023 follows from two published figures: GERD of TWD 937.3 bn was 3.98% of GDP.
TW_GDP_2023 = ("GDP_MIO_NAC", 2023, round(937_300 / 0.0398), "derived: NSTC GERD TWD 937.3 bn ÷ 3.98%")
MARK = "generated for the demo"


@transaction.atomic
def load_demo_indicators(seed: int = 2025) -> bool:
    if Observation.objects.exists():
        return False
    catalogue_load()
    rng = random.Random(seed)
    codes = {i.code: i for i in Indicator.objects.all()}
    published = {(c, y) for c, y, _v, _s in PUBLISHED_TW}
    rows = []
    for country, level, slope in GENERATED:
        for year in range(2012, 2025):
            gerd = round(level + slope * (year - 2012) + rng.uniform(-0.04, 0.04), 2)
            if not (country == "TW" and ("GERD_PCT_GDP", year) in published):
                rows.append(Observation(indicator=codes["GERD_PCT_GDP"], country=country, year=year, value=gerd,
                                        source=MARK, generated=True))
            rows.append(Observation(indicator=codes["BERD_PCT_GDP"], country=country, year=year,
                                    value=round(gerd * rng.uniform(0.62, 0.8), 2), source=MARK, generated=True))
            rows.append(Observation(indicator=codes["RESEARCHERS_PER_1000_EMPLOYED"], country=country, year=year,
                                    value=round(5 + gerd * 3.2 + rng.uniform(-0.5, 0.5), 1), source=MARK,
                                    generated=True))
    for country, (people, growth, gdp, gdp_growth, pct) in CONTEXT.items():
        for year in range(2012, 2025):
            n = year - 2012
            values = {"POPULATION": round(people * (1 + growth) ** n, -3),
                      "GDP_MIO_NAC": round(gdp * (1 + gdp_growth) ** n * rng.uniform(0.985, 1.015), -2)}
            if pct:
                values["PCT_APPLICATIONS"] = round(pct * (1 + rng.uniform(-0.03, 0.05)) ** n)
            for code, value in values.items():
                if (country, code, year) != ("TW", TW_GDP_2023[0], TW_GDP_2023[1]):
                    rows.append(Observation(indicator=codes[code], country=country, year=year, value=value,
                                            source=MARK, generated=True))
    for code, year, value, source in [*PUBLISHED_TW, TW_GDP_2023]:
        rows.append(Observation(indicator=codes[code], country="TW", year=year, value=value, source=source))
    Observation.objects.bulk_create(rows)
    return True
