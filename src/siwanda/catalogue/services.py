"""Publishing innovations to the public catalogue, and replication requests between agencies:
every state change here, each with its audit entry and its notices."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siwanda.accounts.models import Role
from siwanda.activity.services import activity_record
from siwanda.competitions.services import agency_people
from siwanda.core.notify import notify
from siwanda.core.permissions import require_perm
from siwanda.innovations.choices import Initiator
from siwanda.innovations.models import EvidenceDocument, Innovation
from siwanda.innovations.services import innovation_create, innovation_update

from .indexing import catalogue_changed, catalogue_index
from .models import CatalogueEntry, ReplicationMessage, ReplicationRequest
from .selectors import open_request

Status = ReplicationRequest.Status

REPLICA_NOT_OURS = gettext_lazy("Choose an innovation of your own agency.")

# Who moves a request where: the owner answers, the requester reports the replica.
OWNER_MOVES = {
    Status.REQUESTED: {Status.DISCUSSING, Status.AGREED, Status.DECLINED},
    Status.DISCUSSING: {Status.AGREED, Status.DECLINED},
    Status.AGREED: {Status.DECLINED},
}


@transaction.atomic
def innovation_publish(*, actor, innovation: Innovation, public_evidence_ids=()) -> CatalogueEntry:
    """Put the innovation in the public catalogue (or update what is public of it), with the
    verified evidence documents chosen to be shown."""
    require_perm(actor, "catalogue.publish_innovation", innovation)
    wanted = {int(pk) for pk in public_evidence_ids}
    documents = list(innovation.evidence.all())
    unknown = wanted - {d.pk for d in documents}
    unverified = [
        d for d in documents if d.pk in wanted and d.status != EvidenceDocument.Status.VERIFIED
    ]
    if unknown or unverified:
        raise ValidationError(
            {"public_evidence": _("Only verified documents of this innovation can be public.")}
        )
    was_published = CatalogueEntry.objects.filter(innovation=innovation).exists()
    for document in documents:
        if document.is_public != (document.pk in wanted):
            document.is_public = document.pk in wanted
            document.save(update_fields=["is_public"])
    catalogue_index(innovation_ids=[innovation.pk], published_by=actor)
    activity_record(
        actor=actor,
        action="innovation.published" if not was_published else "innovation.publication_updated",
        target=innovation,
        region=innovation.region,
        data={"public_evidence": sorted(wanted)},
    )
    if not was_published:
        url = reverse("catalogue:detail", args=[innovation.pk])
        transaction.on_commit(
            lambda: notify(
                users=agency_people([innovation.agency_id]),
                message=gettext_lazy('"%(title)s" is now in the public innovation catalogue.'),
                params={"title": innovation.title},
                url=url,
            )
        )
    return innovation.catalogue_entry


@transaction.atomic
def innovation_unpublish(*, actor, innovation: Innovation, reason: str) -> None:
    require_perm(actor, "catalogue.publish_innovation", innovation)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the innovation leaves the catalogue.")})
    deleted, _rows = CatalogueEntry.objects.filter(innovation=innovation).delete()
    if not deleted:
        raise ValidationError(_("This innovation is not in the public catalogue."))
    catalogue_changed()
    activity_record(
        actor=actor,
        action="innovation.unpublished",
        target=innovation,
        region=innovation.region,
        data={"reason": reason.strip()},
    )


def _log(request, *, actor, status="", text="") -> None:
    ReplicationMessage.objects.create(request=request, author=actor, status=status, text=text)
    activity_record(
        actor=actor,
        action=f"replication.{status or 'message'}",
        target=request.source,
        region=request.source.region,
        data={"request": request.pk, "agency": request.agency.name, "text": text[:500]},
    )


def _tell(request, *, side: str, message, params=None) -> None:
    """Notify the other side of the request: "owner" (the source's agency) or "requester"."""
    agency_id = request.source.agency_id if side == "owner" else request.agency_id
    url = reverse("catalogue:request", args=[request.pk])
    values = {"title": request.source.title, "agency": request.agency.name} | (params or {})
    transaction.on_commit(
        lambda: notify(users=agency_people([agency_id]), message=message, params=values, url=url)
    )


@transaction.atomic
def replication_request(*, actor, source: Innovation, agency, message: str) -> ReplicationRequest:
    """`agency` asks the owner of a published innovation to help it replicate it."""
    require_perm(actor, "catalogue.request_replication", source)
    if agency is None or agency.pk not in _operated(actor):
        raise ValidationError({"agency": _("Choose an agency you are an operator of.")})
    if agency.pk == source.agency_id:
        raise ValidationError({"agency": _("An agency cannot replicate its own innovation.")})
    if not CatalogueEntry.objects.filter(innovation=source).exists():
        raise ValidationError(_("Only innovations in the public catalogue can be replicated."))
    if not message.strip():
        raise ValidationError({"message": _("Say what you would like to replicate and why.")})
    if open_request(source=source, agency=agency) is not None:
        raise ValidationError(_("Your agency already has an open request for this innovation."))
    request = ReplicationRequest.objects.create(
        source=source, agency=agency, requested_by=actor, message=message.strip()
    )
    _log(request, actor=actor, status=Status.REQUESTED, text=request.message)
    _tell(
        request,
        side="owner",
        message=gettext_lazy('%(agency)s asks to replicate "%(title)s".'),
    )
    return request


def _operated(user) -> frozenset[int]:
    from siwanda.accounts.roles import roles_of

    return roles_of(user).agency_ids(Role.OPERATOR)


def _locked(request: ReplicationRequest) -> ReplicationRequest:
    return (
        ReplicationRequest.objects.select_for_update(of=("self",))
        .select_related("source__region", "agency")
        .get(pk=request.pk)
    )


@transaction.atomic
def replication_answer(*, actor, request: ReplicationRequest, status: str, text: str = ""):
    """The owner's answer: discuss, agree or decline (declining needs a reason)."""
    require_perm(actor, "catalogue.answer_replication", request)
    request = _locked(request)
    if status not in OWNER_MOVES.get(request.status, set()):
        raise ValidationError(
            _("A request that is %(current)s cannot become %(new)s.")
            % {"current": request.get_status_display(), "new": Status(status).label}
            if status in Status.values
            else _("Unknown answer.")
        )
    if status == Status.DECLINED and not text.strip():
        raise ValidationError({"text": _("Say why the request is declined.")})
    request.status = status
    request.save(update_fields=["status", "updated_at"])
    _log(request, actor=actor, status=status, text=text.strip())
    messages = {
        Status.DISCUSSING: gettext_lazy('The owner of "%(title)s" would like to discuss it.'),
        Status.AGREED: gettext_lazy('The owner of "%(title)s" agreed to your replication.'),
        Status.DECLINED: gettext_lazy('The owner of "%(title)s" declined your request.'),
    }
    _tell(request, side="requester", message=messages[status])
    return request


@transaction.atomic
def replication_message(*, actor, request: ReplicationRequest, text: str):
    """A message in the request's conversation, from either side, while it is open."""
    require_perm(actor, "catalogue.write_replication", request)
    owner = actor.has_perm("catalogue.answer_replication", request)
    if not request.is_open:
        raise ValidationError(_("This request is closed."))
    if not text.strip():
        raise ValidationError({"text": _("Write a message.")})
    _log(request, actor=actor, text=text.strip())
    request.save(update_fields=["updated_at"])
    _tell(
        request,
        side="requester" if owner else "owner",
        message=gettext_lazy('New message about the replication of "%(title)s".'),
    )
    return request


@transaction.atomic
def replication_complete(*, actor, request: ReplicationRequest, replica: Innovation | None = None):
    """The requester reports the replica: an innovation of its own agency, or a new one started
    from the source's description. Either way it is linked to its source in the registry."""
    require_perm(actor, "catalogue.complete_replication", request)
    request = _locked(request)
    if request.status != Status.AGREED:
        raise ValidationError(_("Only an agreed request can be marked as replicated."))
    source = request.source
    if replica is not None:
        if replica.agency_id != request.agency_id:
            raise ValidationError({"replica": REPLICA_NOT_OURS})
        if replica.source_innovation_id not in (None, source.pk):
            raise ValidationError(
                {"replica": _("That innovation is already a replica of another innovation.")}
            )
        innovation_update(actor=actor, innovation=replica, source_innovation=source)
    else:
        replica = innovation_create(
            actor=actor,
            agency=request.agency,
            title=source.title,
            form=source.form,
            urusan=source.urusan,
            initiator=Initiator.AGENCY,
            is_digital=source.is_digital,
            initiative_date=timezone.localdate(),
            design=source.design,
            goals=source.goals,
            benefits=source.benefits,
            source_innovation=source,
            sdgs=list(source.sdgs.values_list("number", flat=True)),
        )
    request.status, request.replica = Status.REPLICATED, replica
    request.save(update_fields=["status", "replica", "updated_at"])
    _log(request, actor=actor, status=Status.REPLICATED, text=replica.title)
    _tell(
        request,
        side="owner",
        message=gettext_lazy('%(agency)s has replicated "%(title)s".'),
    )
    return request
