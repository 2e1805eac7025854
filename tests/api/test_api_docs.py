"""/api/docs/: Swagger UI from drf-spectacular-sidecar's static files, under the site's strict
CSP (no inline script or style, nothing from elsewhere), and JSON answers for any other /api/
address."""

import re

import pytest

DOCS = "/api/docs/"


@pytest.mark.parametrize("role", ["anonymous", "operator"])
def test_the_docs_load_the_schema_with_our_own_files(as_, role):
    response = as_(role).get(DOCS)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.findall(r'<script src="([^"]+)"', page) == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "/api/docs/?script=",
    ]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css"
    ]
    # Nothing inline that the CSP (script-src 'self'; style-src 'self') would block.
    assert "<style" not in page and "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "http" not in page  # no CDN, no other host
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp


def test_the_start_up_script_points_at_our_schema(as_):
    response = as_("operator").get(DOCS, {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    script = response.content.decode()
    assert 'url: "/api/schema/"' in script
    assert '"validatorUrl": null' in script


def test_the_sidecar_files_are_served(client):
    from django.contrib.staticfiles import finders

    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}"), name


@pytest.mark.parametrize(
    "url", ["/api/nothing-here/", "/api/innovations/abc/", "/api/proposals/1/answers/%C3%A9%0A/"]
)
@pytest.mark.parametrize("method", ["get", "post", "put"])
def test_any_other_api_address_is_a_json_404(as_, url, method):
    response = getattr(as_("operator"), method)(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_api_address_without_its_slash_is_still_redirected(as_):
    response = as_("operator").get("/api/innovations")
    assert (response.status_code, response["Location"]) == (301, "/api/innovations/")


def test_a_body_that_is_not_json_is_a_400_like_any_other(as_, innovation):
    response = as_("operator").patch(
        f"/api/innovations/{innovation.pk}/", b"{not json", content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("JSON parse error")
    assert body["errors"] == {"non_field_errors": [body["detail"]]}
