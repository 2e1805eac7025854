"""What every API endpoint shares: one error format, object permissions from rules.py, one
pagination, the throttles, and the pieces of the OpenAPI description that repeat.

Errors all look alike: `{"detail": "..."}`, plus `"errors": {field: [messages]}` for a 400. The
services raise Django's ValidationError and PermissionDenied in the request's language; the
handler below turns them into the same answers as DRF's own errors, so an API view never needs a
try/except for them.
"""

from contextlib import contextmanager
from copy import deepcopy

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import set_rollback

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY  # "non_field_errors"


class Locked(exceptions.APIException):
    """The proposal can no longer be changed: it is no longer a draft, or its deadline passed."""

    status_code = status.HTTP_423_LOCKED
    default_code = "locked"


class EditConflict(exceptions.APIException):
    """Someone else saved the same answer after the version the client started from."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail, current: dict):
        super().__init__(detail)
        self.current = current


def _flatten(detail, prefix="") -> dict[str, list[str]]:
    """DRF's nested error details as {"field": [...], "innovators.0.name": [...]}."""
    if isinstance(detail, dict):
        result = {}
        for key, value in detail.items():
            name = NON_FIELD if key in ("__all__", NON_FIELD) and not prefix else str(key)
            result |= _flatten(value, f"{prefix}.{name}" if prefix else name)
        return result
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        result = {}
        for index, item in enumerate(detail):
            result |= _flatten(item, f"{prefix}.{index}" if prefix else str(index))
        return result
    messages = [str(item) for item in detail] if isinstance(detail, list) else [str(detail)]
    return {prefix or NON_FIELD: messages} if messages else {}


def _django_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return _flatten(error.message_dict)
    return {NON_FIELD: error.messages}


def _bad_request(errors: dict[str, list[str]]) -> dict:
    detail = " ".join(message for messages in errors.values() for message in messages)
    return {"detail": detail, "errors": errors}


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: the error format of the whole API."""
    if isinstance(exc, DjangoValidationError):
        data, code = _bad_request(_django_errors(exc)), status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, exceptions.ValidationError):
        data, code = _bad_request(_flatten(exc.detail)), status.HTTP_400_BAD_REQUEST
    else:
        if isinstance(exc, Http404):
            # Never say which kind of object was looked for, nor whether it exists.
            exc = exceptions.NotFound()
        elif isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied()
        if not isinstance(exc, exceptions.APIException):
            return None
        data, code = {"detail": str(exc.detail)}, exc.status_code
        if code == status.HTTP_400_BAD_REQUEST:  # e.g. a body that is not JSON (ParseError)
            data = _bad_request({NON_FIELD: [data["detail"]]})
        if isinstance(exc, EditConflict):
            data["current"] = exc.current
    set_rollback()
    response = Response(data, status=code)
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait))
    return response


@contextmanager
def errors_on(field: str):
    """Show a service's general ValidationError on one request field (e.g. "file")."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise DjangoValidationError({field: error.messages}) from None


class ObjectRule(BasePermission):
    """The permission a person needs on the object of each action, named in the viewset's
    `object_rules` ({action: "app.perm"}) and answered by the predicates of rules.py. An action
    missing there is an error of ours, not an open door (KeyError)."""

    def has_object_permission(self, request, view, obj):
        return request.user.has_perm(view.object_rules[view.action], obj)


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent as multipart/form-data (described as binary in the OpenAPI document)."""


# --- Lists and throttles -------------------------------------------------------------------------


def _whole_number(request, name: str, maximum: int | None = None) -> int | None:
    """The query parameter `name` as a whole number from 1 (None when absent), or a 400 that
    says what is wrong with it."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or int(raw) < 1:
        raise exceptions.ValidationError({name: [_("Enter a whole number from 1.")]})
    if maximum is not None and int(raw) > maximum:
        raise exceptions.ValidationError(
            {name: [_("Enter a whole number from 1 to %(maximum)d.") % {"maximum": maximum}]}
        )
    return int(raw)


class Pagination(PageNumberPagination):
    """Every list of the API: `{"count", "next", "previous", "results"}`, `?page=` from 1 (or
    "last") and `?page_size=` up to MAX_PAGE_SIZE. A page or page size that is not a whole
    number is a 400; a page past the end of the list is a 404 (DRF's own pagination quietly
    used the default size for a wrong page size)."""

    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = gettext_lazy("There is no page {page_number} in this list.")

    def get_page_size(self, request):
        return _whole_number(request, self.page_size_query_param, self.max_page_size) or (
            api_settings.PAGE_SIZE
        )

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param, "").strip() in self.last_page_strings:
            return paginator.num_pages
        return _whole_number(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        page, size = super().get_schema_operation_parameters(view)
        page["schema"] = {"type": "integer", "minimum": 1}
        page["description"] = "A page of the list, from 1 (a page past the end: 404)."
        size["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        size["description"] = (
            f"Results per page, {api_settings.PAGE_SIZE} unless asked, "
            f"at most {self.max_page_size}."
        )
        return [page, size]


class _RatesFromSettings:
    """DRF reads the rates once, when its throttle module is imported; these read them at each
    request, so that the environment's and the tests' settings apply."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousThrottle(_RatesFromSettings, AnonRateThrottle):
    """Requests without a session or token, counted by IP address (behind PROXY_COUNT proxies,
    the address they pass on in X-Forwarded-For)."""


class UserThrottle(_RatesFromSettings, UserRateThrottle):
    """Requests of a signed-in person (session or token), counted by person."""


# --- OpenAPI description of the errors -----------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the request's language.")


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by request field; `non_field_errors` for the request as a whole.",
    )


class CurrentAnswerSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    value = serializers.JSONField(allow_null=True)
    updated_by = serializers.CharField()
    updated_at = serializers.DateTimeField(allow_null=True)


class ConflictSerializer(ErrorSerializer):
    current = CurrentAnswerSerializer(help_text="The other person's saved answer.")


ERRORS = {
    400: OpenApiResponse(ValidationErrorSerializer, description="Invalid request."),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed to do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such object among those you may see."),
    409: OpenApiResponse(
        ConflictSerializer,
        description="Someone else saved this answer after `base_version`.",
    ),
    423: OpenApiResponse(
        ErrorSerializer,
        description="The proposal can no longer be changed (not a draft, or past the deadline).",
    ),
}


def errors(*codes: int) -> dict:
    """The error responses of an endpoint, for `@extend_schema(responses=...)`."""
    return {code: ERRORS[code] for code in codes}


def _error_response(description: str, component: str = "Error") -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


EVERY_ENDPOINT = {
    "401": _error_response(
        "The API token (`Authorization: Bearer …`) is malformed, unknown, revoked or expired."
    ),
    "429": {
        **_error_response("Too many requests: try again after the seconds in Retry-After."),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before the next request.",
                "schema": {"type": "integer"},
            }
        },
    },
}
EVERY_LIST = {
    "400": _error_response("Invalid request.", "ValidationError"),
    "404": _error_response("No such page of the list."),
}


def add_common_responses(result, generator, request, public):
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: the answers that any endpoint may give
    (a refused token, too many requests) and that any list may give (a wrong page number), so
    that no view has to repeat them."""
    for path_item in result["paths"].values():
        for operation in path_item.values():
            responses = operation["responses"]
            paginated = any(
                parameter["in"] == "query" and parameter["name"] == "page"
                for parameter in operation.get("parameters", [])
            )
            for code, response in (EVERY_ENDPOINT | (EVERY_LIST if paginated else {})).items():
                responses.setdefault(code, deepcopy(response))
            operation["responses"] = dict(sorted(responses.items()))
    return result
