"""No page answers 5xx, whatever is sent to it: every URL pattern of the site (but Django's admin and
the API, which schemathesis walks) is asked with hypothesis-made query strings and POST bodies, for
an anonymous visitor, a participant, an officer and a contractor. The field names are the ones the
views and forms read; the values are what a clumsy user or an attacker sends (`abc` for an id,
`1e400` for an amount, control characters, very long numbers) and the world's real ids."""

import inspect
import re
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterbridge.accounts.models import Role
from tests.factories import events as ef
from tests.factories import offsets as of
from tests.factories.directory import make_org

SOURCE = Path(__file__).resolve().parents[1] / "src" / "clusterbridge"
SKIPPED = ("admin/", "api/", "oidc/", "accounts/logout/")  # the admin and the API have their own walkers


def _routes() -> dict[str, object]:
    """Each route with its view."""
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback
    return dict(sorted((r, v) for r, v in walk(get_resolver().url_patterns) if r and not r.startswith(SKIPPED)))


def _fields_in(text: str) -> tuple[set[str], set[str]]:
    names = set(re.findall(r"""(?:GET|POST|data)(?:\.get|\.getlist|\.pop)?[\[(]["']([a-z_][a-z0-9_]*)["']""", text))
    names |= set(re.findall(r"""(?:id|ids|int)_param\(request\.(?:GET|POST), ["']([a-z_][a-z0-9_]*)["']""", text))
    actions = set(re.findall(r"""action == ["']([a-z_]+)["']""", text))
    for group in re.findall(r"action in \(([^)]*)\)", text):
        actions |= set(re.findall(r"""["']([a-z_]+)["']""", group))
    return names, actions


def _view_fields(view) -> tuple[list[str], list[str]]:
    """The fields a view reads (its own code and the forms it names) and the actions it tests."""
    function = getattr(view, "view_class", None) or inspect.unwrap(view)
    try:
        text = inspect.getsource(function)
    except (OSError, TypeError):
        return [], []
    names, actions = _fields_in(text)
    module = inspect.getmodule(function)
    for form_name in set(re.findall(r"\b([A-Z]\w*Form)\(", text)):
        form = getattr(module, form_name, None)
        if form is not None and hasattr(form, "base_fields"):
            names |= set(form.base_fields)
    return sorted(names), sorted(actions)


def _field_names() -> list[str]:
    """Every request field any view reads and every form field, for the query strings."""
    names = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= _fields_in(text)[0]
        names |= set(re.findall(r"^\s+([a-z_][a-z0-9_]*) = forms\.\w+Field\(", text, re.M))
    return sorted(names)


NAMES = _field_names()
ODD = ["abc", "-1", "0", "1", "2", "1e400", "NaN", "", "99999999999999999999999", "１２", "<script>x</script>",
       "a\u0001b", "2026-13-45", "on", "true", "12:61", "x" * 300, "../../etc/passwd", "%00", "1.5", "None"]


@pytest.fixture
def world(db, sectors, mailoutbox):
    officer = ef.person("officer", role=Role.PROGRAMME_OFFICER)
    ev = ef.event(officer, slug="lyon-walk")
    a = ef.participant(ev, officer, "FR", name="Techtera")
    b = ef.participant(ev, officer, "TW", name="TPCA")
    ef.agreed(a, b)
    org = make_org("fr-walk", name_zh="里昂", sectors=["13"])
    contractor_user = of.user("contractor", role=Role.CONTRACTOR)
    agreement = of.agreement()
    agreement.contractor.users.add(contractor_user)
    case = of.case(agreement)
    from clusterbridge.outcomes.survey_services import survey_create

    survey = survey_create(event=ev, by=officer, from_template=True)
    question = survey.questions.first()
    ids = {str(x) for x in (a.pk, b.pk, org.pk, case.pk, agreement.pk, survey.pk,
                            *survey.questions.values_list("pk", flat=True))}
    # A real record for the fields that name one, so that a sweep reaches past the lookup.
    by_name = {"recipient": b.pk, "registration": b.pk, "first": a.pk, "second": b.pk, "organisation": org.pk,
               "question": question.pk, "case": case.pk, "agreement": agreement.pk, "survey": survey.pk}
    return {"officer": officer, "participant": a.person, "contractor": contractor_user, "anonymous": None,
            "values": {"slug": ev.slug, "external_id": org.external_id, "number": agreement.number,
                       "fmt": "xlsx", "year": "2011", "day": "2011-03-01"}, "ids": sorted(ids),
            "by_name": {k: str(v) for k, v in by_name.items()}}


def _path(route: str, world, choose) -> str:
    """The route with its parameters filled by `choose` from a list: a known record first."""
    def fill(match):
        kind, name = match.group(1), match.group(2)
        known = world["values"].get(name)
        if name == "number" and "cases/" in route:
            known = None
        choices = ([known] if known else []) + (world["ids"] if kind == "int" else []) + ["1", "999999"]
        if kind in ("str", "slug"):
            choices += ["no-such-thing"]
        return choose(choices)
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def _values(world):
    return st.one_of(st.sampled_from(ODD), st.sampled_from(world["ids"]),
                     st.text(st.characters(blacklist_categories=["Cs"]), max_size=12))


@pytest.mark.parametrize("role", ["anonymous", "participant", "officer", "contractor"])
def test_no_url_answers_a_server_error_whatever_it_is_sent(client, world, role):
    if world[role] is not None:
        client.force_login(world[role])
    client.raise_request_exception = False
    failures = []
    query_fields = st.dictionaries(st.sampled_from(NAMES), _values(world), max_size=6)

    for route, view in _routes().items():
        names, actions = _view_fields(view)
        # First a sweep: every field of the view, one at a time, gets what it cannot take while the
        # others hold plausible values (real records where the field names one).
        path = _path(route, world, lambda choices: choices[0])
        plausible = {name: world["by_name"].get(name, "1") for name in names}
        for name in names:
            response = client.get(path, {name: "abc"})
            if response.status_code >= 500:
                failures.append(f"GET {path}?{name}=abc: {response.status_code}")
        for action in actions or [""]:
            for name in names:
                for odd in ("abc", "1e400"):
                    body = {**plausible, name: odd, "action": action}
                    response = client.post(path, body)
                    if response.status_code >= 500:
                        failures.append(f"POST {path} {body!r}: {response.status_code}")
        body_fields = st.fixed_dictionaries({}, optional={name: _values(world) for name in names})

        @settings(max_examples=3, deadline=None, database=None, derandomize=True,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                         HealthCheck.filter_too_much])
        @given(data=st.data())
        def walk(data):
            path = _path(route, world, lambda choices: data.draw(st.sampled_from(choices)))
            query = data.draw(query_fields)
            response = client.get(path, query)
            if response.status_code >= 500:
                failures.append(f"GET {path} {query!r}: {response.status_code}")
            body = data.draw(body_fields)
            body["action"] = data.draw(st.sampled_from(actions + ["", "abc"]))
            response = client.post(path, body)
            if response.status_code >= 500:
                failures.append(f"POST {path} {body!r}: {response.status_code}")

        walk()
    assert failures == []
