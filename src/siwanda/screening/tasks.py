from django.tasks import task


@task
def refresh_findings(*, competition_id: int) -> int:
    """Run the automatic checks for every submitted proposal of a competition (in a worker:
    at national scale it is thousands of proposals)."""
    from siwanda.competitions.models import Competition

    from .services import review_refresh_all

    return review_refresh_all(actor=None, competition=Competition.objects.get(pk=competition_id))
