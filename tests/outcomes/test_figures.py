"""The report's arithmetic (outcomes/figures.py) against figures counted by hand."""

from decimal import Decimal

from clusterbridge.outcomes.figures import MeetingRecord, agreement_keys, combined_rating, country_pair, tally

EUROPE = frozenset({"FR", "DE", "BE"})


def test_combined_rating():
    assert combined_rating([], False) == (None, False)
    assert combined_rating([], True) == ("not_held", False)  # the check-in found a side absent
    assert combined_rating(["not_held", "not_held"], False) == ("not_held", False)
    assert combined_rating(["not_held"], False) == (None, True)  # one side's word only: disputed
    assert combined_rating(["not_held", "insufficient_interest"], False) == ("insufficient_interest", True)
    assert combined_rating(["insufficient_interest", "cooperation_possible"], False) == ("cooperation_possible", False)


def test_country_pair_and_agreement_keys():
    assert country_pair("TW", "DE", EUROPE) == "TW-DE" == country_pair("DE", "TW", EUROPE)
    assert country_pair("FR", "DE", EUROPE) is None and country_pair("TW", "JP", EUROPE) is None
    keys = agreement_keys([{"country": "TW", "sector": {"C"}, "ecosystem": set()},
                           {"country": "FR", "sector": {"M"}, "ecosystem": {"textiles"}},
                           {"country": "DE", "sector": set(), "ecosystem": set()}], EUROPE)
    assert keys == {"sector": {"C", "M"}, "ecosystem": {"textiles"}, "country_pair": {"TW-FR", "TW-DE"}}
    assert agreement_keys([{"country": "FR"}, {"country": "DE"}], EUROPE)["country_pair"] == set()


def test_tally_by_event_year_pair_sector():
    # Two events (2018 and 2019). Registrations: 1 TW textiles (C), 2 FR (M), 3 DE (C), 4 TW in 2019,
    # 5 FR in 2019, 6 a pending DE registration (not a participant).
    keys = {1: {"country": "TW", "sector": {"C"}, "ecosystem": {"textiles"}},
            2: {"country": "FR", "sector": {"M"}, "ecosystem": set()},
            3: {"country": "DE", "sector": {"C"}, "ecosystem": set()},
            4: {"country": "TW", "sector": set(), "ecosystem": set()},
            5: {"country": "FR", "sector": {"M"}, "ecosystem": set()}}
    meetings = [
        MeetingRecord(10, 100, 1, 2, ratings=["cooperation_possible", "informative_no_cooperation"],
                      answers={1: "agreement_reached", 2: "negotiation_started"}),
        MeetingRecord(11, 100, 1, 3, ratings=["not_held", "not_held"]),
        MeetingRecord(12, 100, 2, 3, ratings=["not_held"], answers={3: "no_further_contact"}),  # FR–DE: no pair
        MeetingRecord(13, 200, 4, 5, absent=True, answers={5: "no_contact_knowledge_gained"}),
    ]
    agreements = [(100, 10, "joint_rnd", Decimal("250000.00"), "EUR", agreement_keys([keys[1], keys[2]], EUROPE)),
                  (100, None, "cluster_mou", None, "", agreement_keys([keys[1], keys[3]], EUROPE))]
    side = {r: ("TW" if k["country"] == "TW" else "EU") for r, k in keys.items()} | {6: "EU"}
    out = tally(events=[100, 200], year_of={100: 2018, 200: 2019}, approved={1: 100, 2: 100, 3: 100, 4: 200, 5: 200},
                side_of=side, meetings=meetings, keys_of=keys, europe=EUROPE, agreements=agreements)

    e18 = out["events"][100]
    assert (e18["participants"], e18["meetings_scheduled"], e18["meetings_held"], e18["meetings_disputed"]) == (3, 3, 2, 1)
    assert e18["ratings"] == {"not_held": 1, "insufficient_interest": 0, "informative_no_cooperation": 0,
                              "cooperation_possible": 1}
    assert e18["follow_up"]["responses"] == 3 and e18["follow_up"]["agreement_reached"] == 1
    assert e18["agreements"] == {"cluster_mou": 1, "joint_rnd": 1} and e18["value"] == {"EUR": "250000.00"}
    assert e18["response_rate"] == {"TW": 1.0, "EU": 1.0}  # TW: 1 answered; EU: 2 and 3 answered
    e19 = out["events"][200]
    assert (e19["meetings_held"], e19["ratings"]["not_held"]) == (0, 1)  # the check-in's no-show
    assert e19["response_rate"] == {"TW": 0.0, "EU": 1.0}

    assert [(k, v["events"], v["participants"]) for k, v in out["year"].items()] == [(2018, 1, 3), (2019, 1, 2)]
    pairs = out["country_pair"]
    assert sorted(pairs) == ["TW-DE", "TW-FR"]
    assert (pairs["TW-FR"]["meetings_scheduled"], pairs["TW-FR"]["meetings_held"]) == (2, 1)
    assert pairs["TW-FR"]["participants"] == 4  # 1, 2 in 2018; 4, 5 in 2019
    assert pairs["TW-FR"]["agreements"] == {"joint_rnd": 1}
    assert pairs["TW-DE"]["agreements"] == {"cluster_mou": 1} and pairs["TW-DE"]["meetings_held"] == 0
    sectors = out["sector"]
    assert sectors["C"]["meetings_scheduled"] == 3  # 10 (TW side), 11 (both), 12 (DE side)
    assert sectors["M"]["meetings_scheduled"] == 3  # 10, 12, 13
    assert sectors["C"]["agreements"] == {"cluster_mou": 1, "joint_rnd": 1}
    assert out["ecosystem"]["textiles"]["meetings_scheduled"] == 2
    assert out["totals"]["meetings_scheduled"] == 4 and out["totals"]["meetings_held"] == 2
    assert out["totals"]["participants"] == 5


def test_an_events_figures_survive_the_cache_round_trip():
    from clusterbridge.outcomes.figures import bundle_from_raw, bundle_to_raw, combine, event_bundle

    keys = {1: {"country": "TW", "sector": {"C"}, "ecosystem": set()}, 2: {"country": "DE", "sector": set(),
                                                                          "ecosystem": {"digital"}}}
    meetings = [MeetingRecord(10, 100, 1, 2, ratings=["cooperation_possible"], answers={2: "agreement_reached"})]
    bundle = event_bundle(meetings, 2, [(100, 10, "joint_rnd", Decimal("10.50"), "EUR",
                                         agreement_keys([keys[1], keys[2]], EUROPE))],
                          {1: "TW", 2: "EU"}, keys, EUROPE)
    again = bundle_from_raw(bundle_to_raw(bundle))
    assert combine([100], {100: 2020}, {100: again}) == combine([100], {100: 2020}, {100: bundle})
    assert combine([100], {100: 2020}, {100: again})["country_pair"]["TW-DE"]["value"] == {"EUR": "10.50"}
