"""Demo directory: the real organisations of the programmes plus a generated
but plausible directory across Taiwan and EU countries, from a fixed seed.

Taiwanese organisations write in Chinese (and often English); European ones
in English only, as on the real platforms: the partner-search issue has to
bridge exactly that.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from django.db import transaction

from .models import Ecosystem, Kind, Label, Organisation, Sector

DATA = Path(__file__).resolve().parent / "data"

# theme: (English term, Chinese term, NACE divisions, offers en/zh, requests en/zh)
THEMES = [
    ("smart manufacturing", "智慧製造", ["28.99", "26.51"], ("Industry 4.0 retrofit of production lines", "產線工業4.0升級"),
     ("partners for predictive maintenance pilots", "預測性維護試點夥伴")),
    ("machine tools", "工具機", ["28.41", "28.49"], ("five-axis CNC machine tools", "五軸CNC工具機"),
     ("spindle and controller suppliers", "主軸與控制器供應商")),
    ("5G", "5G", ["61.20", "26.30"], ("private 5G test networks", "5G專網測試場域"),
     ("5G use cases in factories", "工廠5G應用案例")),
    ("wind energy", "風力發電", ["35.11", "28.11"], ("offshore wind foundations and towers", "離岸風電水下基礎與塔架"),
     ("offshore wind supply-chain partners", "離岸風電供應鏈夥伴")),
    ("circular economy", "循環經濟", ["38.32", "20.59"], ("recycling of industrial waste into raw materials", "工業廢棄物再生原料"),
     ("eco-design know-how", "生態化設計技術")),
    ("semiconductors", "半導體", ["26.11"], ("wafer-level packaging services", "晶圓級封裝服務"),
     ("equipment makers for advanced packaging", "先進封裝設備廠")),
    ("printed circuit boards", "印刷電路板", ["26.12"], ("high-density interconnect PCBs", "高密度互連電路板"),
     ("low-carbon PCB materials", "低碳電路板材料")),
    ("medical devices", "醫療器材", ["32.50", "26.60"], ("contract manufacturing of medical devices", "醫療器材代工製造"),
     ("CE marking and MDR consulting", "CE標誌與MDR法規諮詢")),
    ("biotechnology", "生物科技", ["21.20", "72.11"], ("contract research for biologics", "生物製劑委託研究"),
     ("clinical trial partners in Europe", "歐洲臨床試驗夥伴")),
    ("Internet of Things", "物聯網", ["26.51", "62.01"], ("IoT sensor modules and gateways", "物聯網感測模組與閘道器"),
     ("smart-city pilot sites", "智慧城市試驗場域")),
    ("aerospace", "航太", ["30.30"], ("precision machining of aero-engine parts", "航空發動機零件精密加工"),
     ("AS9100 certified partners", "AS9100認證夥伴")),
    ("technical textiles", "機能性紡織品", ["13.96"], ("functional fabrics for sportswear", "運動服機能性布料"),
     ("recycled fibre suppliers", "回收纖維供應商")),
    ("food processing", "食品加工", ["10.20", "10.89"], ("frozen seafood processing", "冷凍水產加工"),
     ("cold-chain logistics partners", "冷鏈物流夥伴")),
    ("artificial intelligence", "人工智慧", ["62.01", "72.19"], ("machine vision for quality inspection", "機器視覺品質檢測"),
     ("industrial data sets for AI training", "工業AI訓練資料")),
    ("electric vehicles", "電動車", ["29.10", "27.20"], ("battery modules and motor drives", "電池模組與馬達驅動"),
     ("charging infrastructure partners", "充電設施夥伴")),
    ("hydrogen", "氫能", ["35.21", "20.11"], ("electrolyser components", "電解槽零組件"),
     ("fuel-cell system integrators", "燃料電池系統整合商")),
]

THEME_ECOSYSTEMS = {
    "smart manufacturing": "digital", "5G": "digital", "wind energy": "renewables",
    "circular economy": "energy_intensive", "semiconductors": "electronics", "printed circuit boards": "electronics",
    "medical devices": "health", "biotechnology": "health", "Internet of Things": "digital",
    "aerospace": "aerospace_defence", "technical textiles": "textiles", "food processing": "agri_food",
    "artificial intelligence": "digital", "electric vehicles": "mobility", "hydrogen": "renewables",
}

EU = {
    "DE": ["Stuttgart", "Munich", "Dresden", "Aachen", "Berlin", "Hamburg"],
    "FR": ["Lyon", "Toulouse", "Grenoble", "Nantes", "Paris", "Marseille"],
    "IT": ["Milan", "Turin", "Bologna", "Florence"],
    "ES": ["Bilbao", "Barcelona", "Madrid", "Valencia"],
    "NL": ["Eindhoven", "Rotterdam", "Delft"],
    "BE": ["Brussels", "Ghent", "Leuven"],
    "PL": ["Warsaw", "Wroclaw", "Krakow"],
    "AT": ["Vienna", "Linz", "Graz"],
    "SE": ["Stockholm", "Gothenburg"],
    "FI": ["Helsinki", "Tampere", "Oulu"],
    "DK": ["Copenhagen", "Aarhus"],
    "CZ": ["Prague", "Brno"],
    "PT": ["Porto", "Lisbon"],
    "IE": ["Dublin", "Cork"],
}
TW_CITIES = [("Taipei", "台北"), ("New Taipei", "新北"), ("Taoyuan", "桃園"), ("Hsinchu", "新竹"),
             ("Taichung", "台中"), ("Tainan", "台南"), ("Kaohsiung", "高雄")]
EU_PREFIX = ["Nova", "Tech", "Inno", "Euro", "Alpha", "Vision", "Smart", "Blue", "Green", "Prime", "Nord", "Helix"]
COMPANY_SUFFIX = {"DE": "GmbH", "FR": "SAS", "IT": "S.p.A.", "ES": "S.L.", "NL": "B.V.", "BE": "NV",
                  "PL": "Sp. z o.o.", "AT": "GmbH", "SE": "AB", "FI": "Oy", "DK": "ApS", "CZ": "s.r.o.",
                  "PT": "Lda.", "IE": "Ltd"}
EU_SUFFIX = {"company": ["GmbH"],
             "cluster_organisation": ["Cluster", "Competitiveness Cluster", "Innovation Cluster"],
             "university": ["University of Applied Sciences", "Technical University"],
             "research_centre": ["Research Institute", "Technology Centre"]}
TW_SUFFIX = {"company": ("Co., Ltd.", "股份有限公司"), "industry_association": ("Association", "協會"),
             "cluster_organisation": ("Industry Alliance", "產業聯盟"), "university": ("University", "大學"),
             "research_centre": ("Research Center", "研究中心")}
TW_PREFIX = [("Da-Tong", "大同"), ("Hong-Yuan", "宏遠"), ("Jing-Hua", "精華"), ("Tai-Feng", "台豐"),
             ("Xin-Yi", "信義"), ("Yuan-Da", "遠達"), ("Zhi-Cheng", "志成"), ("Guang-Ming", "光明"),
             ("Ming-Tai", "明泰"), ("Chuang-Xin", "創新"), ("Feng-Yi", "豐億"), ("Heng-Sheng", "恆昇")]


def generate(count: int = 2000, seed: int = 2018) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        taiwan = rng.random() < 0.4
        kind = rng.choices(["company", "cluster_organisation", "industry_association", "university",
                            "research_centre"], weights=[70, 10, 8 if taiwan else 2, 6, 6])[0]
        if kind == "industry_association" and not taiwan:
            kind = "cluster_organisation"
        main, *more = rng.sample(THEMES, k=rng.choice([1, 2, 2, 3]))
        themes = [main, *more]
        if taiwan:
            (city_en, city_zh) = rng.choice(TW_CITIES)
            pre_en, pre_zh = rng.choice(TW_PREFIX)
            suf_en, suf_zh = TW_SUFFIX[kind]
            name_en = f"{pre_en} {main[0].title() if kind != 'company' else ''} {suf_en}".replace("  ", " ")
            name_zh = f"{city_zh}{pre_zh}{main[1]}{suf_zh}" if kind != "company" else f"{pre_zh}{main[1]}{suf_zh}"
            if rng.random() < 0.35:
                name_en = ""  # many Taiwanese profiles exist only in Chinese
            country, city = "TW", city_en
            description_zh = f"{name_zh}專注於{'、'.join(t[1] for t in themes)}，提供{main[3][1]}。"
            description_en = (f"Focus on {', '.join(t[0] for t in themes)}; offers {main[3][0]}."
                              if name_en and rng.random() < 0.6 else "")
            offers = "\n".join(t[3][1] if rng.random() < 0.7 else t[3][0] for t in themes)
            requests = "\n".join(t[4][1] if rng.random() < 0.7 else t[4][0] for t in themes[:2])
        else:
            country = rng.choice(list(EU))
            city = rng.choice(EU[country])
            suffix = rng.choice(EU_SUFFIX.get(kind, EU_SUFFIX["company"]))
            if kind == "company":
                suffix = COMPANY_SUFFIX[country]
            if kind == "company":
                name_en = f"{rng.choice(EU_PREFIX)}{rng.choice(['tec', 'wave', 'gen', 'tronic', 'mat', 'lab'])} {suffix}"
            elif kind in ("university", "research_centre"):
                name_en = f"{city} {suffix}" if kind == "university" else f"{city} {main[0].title()} {suffix}"
            else:
                name_en = f"{city} {main[0].title()} {suffix}"
            name_zh = ""
            description_en = (f"{name_en} works on {', '.join(t[0] for t in themes)} and offers "
                              f"{main[3][0]}.")
            description_zh = ""
            offers = "\n".join(t[3][0] for t in themes)
            requests = "\n".join(t[4][0] for t in themes[:2])
        sectors = sorted({code for t in themes for code in t[2]})
        ecosystems = sorted({THEME_ECOSYSTEMS[t[0]] for t in themes if t[0] in THEME_ECOSYSTEMS})
        rows.append({
            "external_id": f"{country.lower()}-{i + 1:05d}",
            "name_en": name_en.strip(), "name_zh": name_zh, "kind": kind, "country": country, "city": city,
            "website": f"https://www.example-{i + 1}.{country.lower() if country != 'TW' else 'com.tw'}",
            "sectors": sectors, "ecosystems": ecosystems,
            "technologies": ";".join((t[1] if taiwan and rng.random() < 0.6 else t[0]) for t in themes),
            "description_en": description_en, "description_zh": description_zh,
            "offers": offers, "requests": requests,
            "value_chain_role": _role(kind, i),
            "year_founded": rng.randint(1950, 2022),
            "size": rng.choice([5, 12, 40, 80, 150, 400, 1200]),
            "label": rng.choices(["", Label.ESCA_BRONZE, Label.ESCA_SILVER, Label.ESCA_GOLD],
                                 weights=[80, 10, 6, 4])[0] if kind == "cluster_organisation" else "",
        })
    return rows


COMPANY_ROLES = ["components", "equipment", "manufacturer", "integrator", "brand", "software", "services",
                 "materials", "distribution", "user"]


def _role(kind: str, i: int) -> str:
    """A plausible value-chain role, without drawing on the random stream (the
    rest of the generated directory stays as it was)."""
    if kind == "company":
        return COMPANY_ROLES[(i * 7) % len(COMPANY_ROLES)]
    return "research" if kind in ("university", "research_centre") else "intermediary"


def real_organisations() -> list[dict]:
    with open(DATA / "real-organisations.json", encoding="utf-8") as fh:
        data = json.load(fh)["organisations"]
    rows = []
    for r in data:
        rows.append({"external_id": r["external_id"], "name_en": r["name_en"], "name_zh": r["name_zh"],
                     "kind": r["kind"], "country": r["country"], "city": r["city"], "sectors": r["sectors"],
                     "description_en": r["description_en"], "label": "",
                     "value_chain_role": "" if r["kind"] == "company" else _role(r["kind"], 0)})
    return rows


@transaction.atomic
def load_demo_directory(count: int = 2000, seed: int = 2018) -> int:
    """Insert the demo organisations that are not there yet; returns how many."""
    sectors = {s.code: s.id for s in Sector.objects.all()}
    ecosystems = {e.code: e.id for e in Ecosystem.objects.all()}
    rows = real_organisations() + generate(count, seed)
    existing = set(Organisation.objects.values_list("external_id", flat=True))
    new = [r for r in rows if r["external_id"] not in existing]
    fields = {f.name for f in Organisation._meta.concrete_fields}
    orgs = [Organisation(**{k: v for k, v in r.items() if k in fields}) for r in new]
    for org in orgs:
        org.refresh_search_text()
    Organisation.objects.bulk_create(orgs, batch_size=1000)
    ids = dict(Organisation.objects.filter(external_id__in=[r["external_id"] for r in new])
               .values_list("external_id", "id"))
    through = Organisation.sectors.through
    through.objects.bulk_create([through(organisation_id=ids[r["external_id"]], sector_id=sectors[c])
                                 for r in new for c in r["sectors"] if c in sectors], batch_size=2000)
    eco_through = Organisation.ecosystems.through
    eco_through.objects.bulk_create([eco_through(organisation_id=ids[r["external_id"]], ecosystem_id=ecosystems[c])
                                     for r in new for c in r.get("ecosystems", []) if c in ecosystems],
                                    batch_size=2000)
    from .services import directory_changed, technology_tags_set

    technology_tags_set(Organisation.objects.filter(id__in=list(ids.values())).only("id", "technologies"))

    transaction.on_commit(directory_changed)
    return len(new)


KIND_VALUES = [k for k, _ in Kind.choices]


@transaction.atomic
def load_demo_cooperation(count: int = 150, seed: int = 2018) -> int:
    """Publish offers and requests of demo organisations on the cooperation board (once)."""
    from .models import CooperationProfile

    if CooperationProfile.objects.exists():
        return 0
    rng = random.Random(seed)
    orgs = list(Organisation.objects.filter(published=True).exclude(offers="").order_by("external_id"))
    chosen = rng.sample(orgs, min(count, len(orgs)))
    profiles = []
    for org in chosen:
        taiwanese = org.country == "TW"
        offer = rng.random() < 0.5
        items = org.offer_list if offer else org.request_list
        if not items:
            continue
        text = items[0]
        chinese = any("\u4e00" <= ch <= "\u9fff" for ch in text)
        kind = rng.choice(["technology_offer", "business_offer"] if offer
                          else ["technology_request", "business_request", "rd_partner"])
        profiles.append(CooperationProfile(
            organisation=org, kind=kind, status=CooperationProfile.Status.PUBLISHED,
            title_zh=text if chinese else "", title_en="" if chinese else text,
            description_zh=(org.description_zh if taiwanese else ""), description_en=org.description_en))
    CooperationProfile.objects.bulk_create(profiles)
    return len(profiles)
