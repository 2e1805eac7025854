from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import redirect


def serve_private(field_file, name: str):
    """Uploaded files are private: a view serves them after its permission check, from local
    storage directly, or by a short-lived signed link to the object storage."""
    if hasattr(default_storage, "bucket_name"):
        return redirect(field_file.url)
    return FileResponse(field_file.open("rb"), as_attachment=True, filename=name)
