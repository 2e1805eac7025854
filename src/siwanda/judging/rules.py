"""Who may do what in judging.

The secretariat (and the system administrator) runs the stages. A panel member scores what is
assigned to them; the chair of a panel also records moderation decisions. Jurors, the chair
included, see other jurors' scores and the ranking only once the stage is closed, or while it runs
when the stage allows it; conflicted proposals never (the selectors filter them).
"""

import rules

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of

from .models import PanelMember, Stage


def _seat(user, stage):
    """The person's panel seat on the stage, read once per request."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_siwanda_seats", {})
    if stage.pk not in cache:
        cache[stage.pk] = PanelMember.objects.filter(stage=stage, juror=user).first()
    return cache[stage.pk]


@rules.predicate
def manages(user, stage):
    return user.has_perm("competitions.manage_competition", stage.competition)


@rules.predicate
def sits_on(user, stage):
    return _seat(user, stage) is not None


@rules.predicate
def chairs(user, stage):
    seat = _seat(user, stage)
    return seat is not None and seat.is_chair


@rules.predicate
def scores_are_open(user, stage):
    return stage.status == Stage.Status.CLOSED or (
        stage.status == Stage.Status.SCORING and stage.jurors_see_scores
    )


@rules.predicate
def is_juror(user):
    return bool(roles_of(user).region_ids(Role.JUROR))


@rules.predicate
def owns_assignment(user, assignment):
    return assignment.juror_id == user.pk


rules.add_perm("judging.manage_stage", manages)
rules.add_perm("judging.view_ranking", manages | (sits_on & scores_are_open))
rules.add_perm("judging.moderate", manages | chairs)
rules.add_perm("judging.judge", is_juror)
rules.add_perm("judging.score", owns_assignment)
