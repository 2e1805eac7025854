"""The OpenAPI document at /api/schema/: valid OpenAPI 3.0, and every endpoint described with its
request, its answer and its errors."""

import json

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

# drf-spectacular names enums after their field; two different `status` sets (evidence,
# proposal) make it fall back to a hashed name until SPECTACULAR_SETTINGS has
# ENUM_NAME_OVERRIDES for them. Harmless for validity; nothing else may warn.
KNOWN_WARNINGS: set[str] = set()

ENDPOINTS = {
    ("/api/innovations/", "get"),
    ("/api/innovations/", "post"),
    ("/api/innovations/{id}/", "get"),
    ("/api/innovations/{id}/", "patch"),
    ("/api/innovations/{id}/evidence/", "post"),
    ("/api/proposals/", "get"),
    ("/api/proposals/", "post"),
    ("/api/proposals/{id}/", "get"),
    ("/api/proposals/{id}/", "patch"),
    ("/api/proposals/{id}/check/", "get"),
    ("/api/proposals/{id}/answers/{field_key}/", "put"),
    ("/api/proposals/{id}/attachments/{field_key}/", "post"),
    ("/api/proposals/{id}/send/", "post"),
    ("/api/proposals/{id}/approve/", "post"),
    ("/api/proposals/{id}/return/", "post"),
    ("/api/proposals/{id}/withdraw/", "post"),
    ("/api/assignments/", "get"),
    ("/api/assignments/{id}/", "get"),
    ("/api/assignments/{id}/scores/{criterion_id}/", "put"),
    ("/api/assignments/{id}/submit/", "post"),
    ("/api/stages/{id}/ranking/", "get"),
    ("/api/stages/{id}/outcomes/", "post"),
    ("/api/stages/{id}/outcomes/apply/", "post"),
    ("/api/results/{id}/", "get"),
    ("/api/certificates/{code}/", "get"),
    ("/api/catalogue/", "get"),
    ("/api/catalogue/facets/", "get"),
    ("/api/catalogue/{innovation}/", "get"),
    ("/api/catalogue/{innovation}/replications/", "get"),
    ("/api/replication-requests/", "get"),
    ("/api/replication-requests/", "post"),
    ("/api/replication-requests/{id}/", "get"),
    ("/api/replication-requests/{id}/answer/", "post"),
    ("/api/replication-requests/{id}/message/", "post"),
    ("/api/replication-requests/{id}/complete/", "post"),
}
# Open to everyone, like the public results page: nobody is ever refused (no 403).
PUBLIC = {
    ("/api/results/{id}/", "get"),
    ("/api/certificates/{code}/", "get"),
    ("/api/catalogue/", "get"),
    ("/api/catalogue/facets/", "get"),
    ("/api/catalogue/{innovation}/", "get"),
    ("/api/catalogue/{innovation}/replications/", "get"),
}


@pytest.fixture
def schema(db, client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema):
    return {
        (path, method): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.0")
    validate_schema(schema)  # jsonschema against the official OpenAPI 3.0 meta-schema


def test_the_generator_neither_fails_nor_guesses():
    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert GENERATOR_STATS._error_cache == {}
    warnings = {
        message.removeprefix("Warning: ").split(". ")[0] for message in GENERATOR_STATS._warn_cache
    }
    assert warnings <= KNOWN_WARNINGS


def test_every_endpoint_is_described(schema):
    ops = operations(schema)
    assert set(ops) == ENDPOINTS
    for key, operation in ops.items():
        assert operation["summary"], key
        codes = set(operation["responses"])
        assert ("403" in codes) is (key not in PUBLIC), key
        assert codes & {"200", "201"}, key
        if "{" in key[0]:
            assert "404" in codes, key
        if key[1] in ("post", "put", "patch") and not key[0].endswith(("send/", "approve/")):
            assert "400" in codes, key


def test_writes_describe_their_bodies_and_lock_answers(schema):
    ops = operations(schema)
    answer = ops["/api/proposals/{id}/answers/{field_key}/", "put"]
    assert set(answer["responses"]) == {"200", "400", "401", "403", "404", "409", "423", "429"}
    assert answer["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AnswerWrite"
    }
    upload = ops["/api/proposals/{id}/attachments/{field_key}/", "post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    file = schema["components"]["schemas"]["FileUpload"]["properties"]["file"]
    assert file == {"type": "string", "format": "binary"}
    conflict = schema["components"]["schemas"]["Conflict"]
    assert set(conflict["properties"]) == {"detail", "current"}


def test_the_schema_is_served_without_signing_in(client):
    """The document describes the API, not its data; it is public like the login page."""
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")


def test_every_endpoint_describes_a_refused_token_and_too_many_requests(schema):
    for key, operation in operations(schema).items():
        responses = operation["responses"]
        assert responses["401"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }, key
        assert responses["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}, key


def test_every_list_describes_its_pages_and_their_errors(schema):
    lists = {
        key: operation
        for key, operation in operations(schema).items()
        if any(p["name"] == "page" for p in operation.get("parameters", []))
    }
    assert {
        ("/api/innovations/", "get"),
        ("/api/proposals/", "get"),
        ("/api/assignments/", "get"),
        ("/api/replication-requests/", "get"),
    } <= set(lists)
    for key, operation in lists.items():
        parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
        assert parameters["page"] == {"type": "integer", "minimum": 1}, key
        assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200}, key
        assert {"400", "404"} <= set(operation["responses"]), key
        page = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert set(page.get("properties", {})) >= {"count", "next", "previous", "results"} or (
            page["$ref"].startswith("#/components/schemas/Paginated")
        ), key


def test_the_token_and_the_session_are_the_security_schemes(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token, created on your profile (Profil → Token API).",
    }
    assert schemes["cookieAuth"]["in"] == "cookie"
    innovations = operations(schema)["/api/innovations/", "get"]
    assert {"token": []} in innovations["security"]


def test_the_management_command_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert "/api/innovations/" in (tmp_path / "s.yaml").read_text()
