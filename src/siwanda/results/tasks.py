from django.tasks import task


@task
def render_certificates(*, publication_id: int) -> None:
    from .documents import render_certificates as render

    render(publication_id)
