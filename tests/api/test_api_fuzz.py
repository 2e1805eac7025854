"""Schema-driven fuzzing of the whole API with schemathesis, in-process through the WSGI app.

Every operation of /api/schema/ gets requests generated from its description: valid ones
(positive) and invalid ones (negative), on the objects of a small world (a draft proposal of an
open competition, a judged stage and its published results, a catalogue entry and a replication
request) and on made-up ids. Each is sent anonymously and with the API token of a secretariat,
an operator and a juror. Any 5xx fails, and so does any answer that the document does not
describe: an undocumented status code, content type or header, or a body off its schema.
Schemathesis's `negative_data_rejection` is left out on purpose: DRF takes a JSON number for a
text field as its text (a title of 12 is "12"), which that check calls accepting invalid data;
demanding strict JSON types of every serializer would change what the API accepts today.

The examples are bounded and derandomised, so that a run takes well under two minutes and
fails the same way twice.
"""

import json
import re
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from siwanda.accounts.tokens import api_token_create
from siwanda.catalogue.services import innovation_publish, replication_request
from siwanda.results.models import Certificate
from tests.api.conftest import make_competition, make_innovation, make_proposal
from tests.api.test_api_results import build_results

# Examples per operation and mode: on the world's objects, and on made-up ids (mostly 404s).
EXAMPLES = {"known": 6, "made-up": 3}
ROLES = ["anonymous", "secretariat", "operator", "juror"]
# An answer each role must have had, to show its token was used and the world reached.
REACHED = {
    "anonymous": ("GET /api/catalogue/", 200),
    "secretariat": ("GET /api/stages/{id}/ranking/", 200),
    "operator": ("GET /api/proposals/{id}/", 200),
    "juror": ("GET /api/assignments/{id}/", 200),
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _document() -> dict:
    """The OpenAPI document as /api/schema/ serves it (JSON, no request needed)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from siwanda.regions.models import Region
    from tests.builders import make_people

    with django_db_blocker.unblock(), transaction.atomic():
        region = Region.objects.get(code="73.22")
        people = make_people(region, Region.objects.get(code="73.24"))
        judged = build_results(people, region)
        competition = make_competition(region, [people["agency"], people["other_agency"]])
        innovation = make_innovation(people["agency"])
        proposal = make_proposal(competition, innovation, people["operator"])
        innovation_publish(actor=people["secretariat"], innovation=innovation)
        request = replication_request(
            actor=people["other_operator"],
            source=innovation,
            agency=people["other_agency"],
            message="Kami ingin mereplikasi.",
        )
        holders = {
            "secretariat": people["secretariat"],
            "operator": people["operator"],
            "juror": judged["me"],
        }
        secrets = {
            role: api_token_create(actor=person, name="Fuzz")[1] for role, person in holders.items()
        }
        yield {
            "secrets": secrets,
            # The world's object for each path parameter, by the path's first part.
            "ids": {
                ("innovations", "id"): innovation.pk,
                ("proposals", "id"): proposal.pk,
                ("proposals", "field_key"): "summary",
                ("assignments", "id"): judged["stage"]
                .assignments.filter(juror=judged["me"])
                .first()
                .pk,
                ("assignments", "criterion_id"): judged["criteria"][0].pk,
                ("stages", "id"): judged["stage"].pk,
                ("results", "id"): judged["competition"].pk,
                ("certificates", "code"): Certificate.objects.filter(revoked_at=None).first().code,
                ("catalogue", "innovation"): innovation.pk,
                ("replication-requests", "id"): request.pk,
            },
        }
        transaction.set_rollback(True)


@pytest.fixture
def app(settings):
    """Django's WSGI app, as the test client calls it: with the test transaction's connection
    kept between requests, and no throttle (a fuzzer is many requests a minute)."""
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}
    }
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass
class Finding:
    operation: str
    how: str
    error: BaseException

    def __str__(self):
        return f"--- {self.operation} ({self.how})\n{self.error}"


def fuzz(operation, *, mode, path_parameters, examples, headers, answers) -> Finding | None:
    def record(ctx, response, case):
        answers.add((case.operation.label, response.status_code))

    checks = [*CHECKS, record]

    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the report has the request
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case):
        case.call_and_validate(headers=headers, checks=checks)

    try:
        run()
    except Unsatisfiable:  # nothing is invalid about it (only known path parameters): no case
        return None
    except (Exception, FailureGroup) as error:  # FailureGroup: the checks' findings
        return Finding(operation.label, f"{mode.value}, {path_parameters or 'made-up ids'}", error)
    return None


def known_parameters(world, operation) -> dict:
    resource = operation.path.strip("/").split("/")[1]
    names = re.findall(r"{(\w+)}", operation.path)
    known = {name: world["ids"].get((resource, name)) for name in names}
    if operation.path.endswith("/attachments/{field_key}/"):
        known["field_key"] = "decree"
    return {name: value for name, value in known.items() if value is not None}


@pytest.mark.parametrize("role", ROLES)
def test_no_request_breaks_the_api_or_its_description(db, world, app, role):
    schema = schemathesis.openapi.from_dict(_document())
    schema.app = app
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world['secrets'][role]}"}
    findings, operations, answers = [], 0, set()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        known = known_parameters(world, operation)
        plans = [(known, EXAMPLES["known"])] + ([({}, EXAMPLES["made-up"])] if known else [])
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for path_parameters, examples in plans:
                finding = fuzz(
                    operation,
                    mode=mode,
                    path_parameters=path_parameters,
                    examples=examples,
                    headers=headers,
                    answers=answers,
                )
                if finding is not None:
                    findings.append(finding)
    assert operations >= 30  # the whole API, catalogue included
    # The token was used and the world reached: the role's own work was answered.
    assert REACHED[role] in answers, sorted(answers)
    assert not findings, "\n\n".join(str(f) for f in findings)
