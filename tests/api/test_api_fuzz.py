"""Schemathesis drives every operation of the OpenAPI document with generated
input (public and with a member's key): no input may cause a server error,
and every answer must match the document."""

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from clusterbridge.accounts.models import Membership, Profile, Role
from clusterbridge.accounts.services import api_token_create
from clusterbridge.directory.models import CooperationProfile
from clusterbridge.events import services as s
from clusterbridge.events.models import Event, MeetingRequest, Registration
from clusterbridge.offsets.models import Agreement, CasePlan
from tests.factories.directory import make_org


@pytest.fixture
def member_key(sectors):
    org = make_org("tw-1", name_en="Fab One", country="TW", technologies="semiconductors", sectors=["26.11"])
    user = get_user_model().objects.create_user("ana", password="a-long-password-1")
    Profile.objects.create(user=user, role=Role.MEMBER)
    Membership.objects.create(user=user, organisation=org)
    CooperationProfile.objects.create(organisation=org, kind="technology_offer", title_en="Chips", status="published")
    # An event the member takes part in and organises, and an ICP agreement with a case: the
    # generated calls reach past the 404s into the services.
    from tests.factories import events as ef
    from tests.factories import offsets as of

    ev = ef.event(user, slots=2, tables=1)
    ev.organisers.add(user)
    other = ef.participant(ev, user)
    mine = Registration.objects.create(event=ev, organisation=org, person=user, status="approved")
    s.meeting_request_send(sender=other, recipient=mine, by=other.person)
    officer = of.user("fuzz-officer")
    of.case(of.agreement(), ready_by=officer)
    user.profile.role = Role.PROGRAMME_OFFICER  # sees every agreement and case
    user.profile.save()
    return api_token_create(user=user, name="fuzz", scopes=["directory:write", "events:write", "icp:read"])


@pytest.fixture
def keep_test_connection():
    """In-process WSGI calls end with request_finished, which closes a database
    connection that is inside a transaction (the test's): keep it open, as
    Django's own test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_input_breaks_the_api(member_key, keep_test_connection):
    # In-process (WSGI): the generated requests run inside this test's transaction.
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 27
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            # Point most cases at what exists, so writes get past the 404 and their bodies are tried.
            params = case.path_parameters or {}
            if "external_id" in params and hash(str(case.body)) % 4:
                params["external_id"] = "tw-1"
            if "profile_id" in params and hash(str(case.body)) % 4:
                params["profile_id"] = CooperationProfile.objects.get().id
            if "slug" in params and hash(str(case.body)) % 4:
                params["slug"] = Event.objects.get().slug
            if "request_id" in params and hash(str(case.body)) % 2:
                params["request_id"] = MeetingRequest.objects.first().id
            if "number" in params and hash(str(case.body)) % 4:
                params["number"] = (CasePlan if "cases" in case.path else Agreement).objects.first().number
            case.call_and_validate(headers={"Authorization": f"Bearer {member_key}"},
                                   checks=[not_a_server_error, response_schema_conformance])

        check()
