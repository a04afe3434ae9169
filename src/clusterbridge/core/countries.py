"""Country names in the visitor's language, from the ISO 3166 data and
translations that pycountry ships."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry

from .bilingual import visitor_is_chinese


@lru_cache(maxsize=4)
def _catalogue(chinese: bool):
    if not chinese:
        return None
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_TW"], fallback=True)


# How the programmes themselves name Taiwan, in both languages.
OWN_NAMES = {"TW": ("Taiwan", "臺灣")}


def country_name(code: str, language: str | None = None) -> str:
    own = OWN_NAMES.get((code or "").upper())
    if own:
        return own[1] if visitor_is_chinese(language) else own[0]
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    catalogue = _catalogue(visitor_is_chinese(language))
    return catalogue.gettext(country.name) if catalogue else name


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, list[str]]:
    """Country code → its time zones, main one first, from the IANA zone.tab that tzdata ships."""
    from importlib.resources import files

    out: dict[str, list[str]] = {}
    for line in files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _coordinates, zone, *_ = line.split("\t")
        out.setdefault(code, []).append(zone)
    return out


def country_time_zones(code: str) -> list[str]:
    """Time zones of a country, its main (capital's) zone first; [] for an unknown code."""
    return list(_zones_by_country().get((code or "").upper(), []))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of every country, sorted by name in the visitor's language."""
    return sorted(((c.alpha_2, country_name(c.alpha_2, language)) for c in pycountry.countries),
                  key=lambda pair: pair[1])


# The programmes pair Taiwan with Europe: the EU, the EEA, Switzerland, the United Kingdom and the
# candidate and neighbouring countries that take part in EU programmes.
EUROPE = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK "
    "IS LI NO CH GB AL BA ME MK RS MD UA TR XK AD MC SM VA".split())
REGIONS = ("taiwan", "europe", "elsewhere")


def region_of(code: str) -> str:
    code = (code or "").upper()
    if code == "TW":
        return "taiwan"
    return "europe" if code in EUROPE else "elsewhere"


def abroad_region(code: str) -> str:
    """Where partners abroad are for an organisation of this country: Europe for Taiwan, Taiwan for
    Europe; "" elsewhere (no default)."""
    return {"taiwan": "europe", "europe": "taiwan"}.get(region_of(code), "")


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, str], dict[str, str]]:
    """English → Chinese and Chinese → English city names (core/data/cities.tsv)."""
    from importlib.resources import files

    en_zh: dict[str, str] = {}
    zh_en: dict[str, str] = {}
    for line in files("clusterbridge.core").joinpath("data", "cities.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        en, zh = line.split("\t")
        en_zh[en.casefold()] = zh
        zh_en.setdefault(zh, en)
    return en_zh, zh_en


def city_name(city: str, language: str | None = None) -> str:
    """A city as the reader names it: Lyon is 里昂 in Chinese, 新竹 is Hsinchu in English; a city the
    list does not know is shown as written."""
    city = (city or "").strip()
    if not city:
        return ""
    en_zh, zh_en = _cities()
    if visitor_is_chinese(language):
        return en_zh.get(city.casefold(), city)
    chinese = city.replace("台", "臺")
    return zh_en.get(chinese, zh_en.get(chinese.removesuffix("市"), city))
