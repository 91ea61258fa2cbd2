"""The OpenAPI document against the running application: schemathesis generates valid and invalid requests for
every operation and checks every response (no server error, status codes, content types, headers and bodies as
documented, valid data accepted, invalid data refused).

The schema is loaded through the WSGI application when the module is collected (the document needs no database);
``schemathesis.pytest.from_fixture`` would load it per test but does not run under pytest 9.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from cchc.feedback.tests.factory import make_assigned, make_feedback, make_published

# Examples per operation; raise it for a deeper run: CCHC_SCHEMATHESIS_EXAMPLES=500 pytest cchc/api/tests/...
EXAMPLES = int(os.environ.get("CCHC_SCHEMATHESIS_EXAMPLES", "40"))
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def api_data(personas, settings):
    settings.FEEDBACK_RATE_LIMIT = (10**9, 3600)  # the generated requests all come from one address
    for _ in range(2):
        make_published(personas)
    make_assigned(personas)
    make_feedback()
    # As Django's test client does: the WSGI app must not close the test's connection between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# Derandomised: CI runs the same examples as the developer did (raise EXAMPLES for a deeper, wider run).
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_keeps_the_promises_of_its_document(case, api_data):
    case.call_and_validate()
