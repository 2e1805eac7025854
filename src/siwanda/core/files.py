"""Uploaded files are checked by their content, not by their name: a renamed .exe is refused
even when it is called "laporan.pdf"."""

import hashlib

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

# The kinds Siwanda accepts and what filetype reports for them.
KINDS = {
    "pdf": "pdf",
    "jpg": "jpg",
    "png": "png",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "mp4": "mp4",
}
LABELS = {
    "pdf": "PDF",
    "jpg": "JPEG",
    "png": "PNG",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "pptx": "PowerPoint (.pptx)",
    "mp4": "MP4",
}


def detect_kind(upload) -> str | None:
    """The kind of file the content shows, or None when it is none of ours."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    if guess is None:
        return None
    if guess.extension in ("zip",):  # an Office file whose parts start later in the archive
        guess = filetype.guess(upload.read())
        upload.seek(0)
    return KINDS.get(guess.extension) if guess else None


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def allowed_text(allowed: list[str], max_mb: int) -> str:
    kinds = ", ".join(LABELS.get(kind, kind) for kind in allowed)
    return _("Allowed: %(kinds)s, at most %(size)d MB per file.") % {"kinds": kinds, "size": max_mb}


def check_upload(upload, *, allowed: list[str], max_mb: int) -> str:
    """The file's kind, or a ValidationError that says what was wrong and what is allowed."""
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("“%(name)s” is %(size)s: too large.")
            % {"name": upload.name, "size": filesizeformat(upload.size)}
            + " "
            + allowed_text(allowed, max_mb)
        )
    kind = detect_kind(upload)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("“%(name)s” is not an allowed kind of file (its content was checked).")
            % {"name": upload.name}
            + " "
            + allowed_text(allowed, max_mb)
        )
    return kind


def clean_name(name: str) -> str:
    return get_valid_filename(name)[:200] or "file"
