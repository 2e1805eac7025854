"""Large files built in the background: a page starts an export, the worker builds it while the
person watches its progress, then downloads it.

An exporter is a class registered in EXPORTERS with
- `allowed(user, params) -> bool`, checked when the export starts and again when it runs;
- `title(params) -> str`;
- `build(params, user, progress) -> (filename, bytes)`, calling `progress(done, total)` as it
  goes.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from .models import Export

logger = logging.getLogger(__name__)

EXPORTERS = {
    "judging.stage": "siwanda.judging.exporters.StageWorkbook",
    "judging.final": "siwanda.judging.exporters.FinalWorkbook",
    "judging.jury_book": "siwanda.judging.exporters.JuryBook",
}


def exporter(kind: str):
    if kind not in EXPORTERS:
        raise PermissionDenied
    return import_string(EXPORTERS[kind])


@transaction.atomic
def export_start(*, actor, kind: str, params: dict) -> Export:
    maker = exporter(kind)
    if not maker.allowed(actor, params):
        raise PermissionDenied
    export = Export.objects.create(
        owner=actor, kind=kind, params=params, title=str(maker.title(params))[:300]
    )
    from .tasks import run_export

    transaction.on_commit(lambda: run_export.enqueue(export_id=export.pk))
    return export


def export_run(export_id: int) -> None:
    """Build the file (in the worker). A failure is recorded on the export, never lost."""
    export = Export.objects.select_related("owner").get(pk=export_id)
    maker = exporter(export.kind)
    if not maker.allowed(export.owner, export.params):
        export.status, export.error = Export.Status.FAILED, "permission"
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at"])
        return
    export.status = Export.Status.RUNNING
    export.save(update_fields=["status"])

    def progress(done, total):
        Export.objects.filter(pk=export.pk).update(done=done, total=total)

    try:
        with translation.override(export.owner.language or settings.LANGUAGE_CODE):
            filename, content = maker.build(export.params, export.owner, progress)
    except Exception as error:  # the person sees that it failed; the log keeps the cause
        logger.exception("export %s failed", export.pk)
        export.status, export.error = Export.Status.FAILED, str(error)[:2000]
    else:
        export.file.save(filename, ContentFile(content), save=False)
        export.filename, export.status = filename, Export.Status.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "file", "filename", "finished_at"])
