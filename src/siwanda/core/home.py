"""What each person has to do next, by role: the panels of the home page.

Each panel is built from the selectors of the app that owns the data, so the home page never
shows a count of something the person may not open.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from siwanda.accounts.models import Invitation, Role, RoleAssignment
from siwanda.accounts.roles import roles_of
from siwanda.core.templatetags.siwanda import day
from siwanda.regions.models import Agency, Region


@dataclass
class Task:
    text: str
    url: str
    action: str
    tone: str = "primary"  # Bootstrap contextual colour of the badge / button


@dataclass
class Panel:
    title: str
    subtitle: str = ""
    tasks: list[Task] = field(default_factory=list)
    empty: str = ""  # said when there is nothing to do
    links: list[tuple[str, str]] = field(default_factory=list)


def home_panels(user) -> list[Panel]:
    roles = roles_of(user)
    panels: list[Panel] = []
    if roles.is_system_admin:
        panels.append(_system_admin_panel())
    for region in roles.regions(Role.SECRETARIAT):
        panels.append(_secretariat_panel(region))
    for agency in roles.agencies(Role.OPERATOR, Role.AGENCY_HEAD):
        panels.append(_agency_panel(user, agency, roles))
    for role, region in (
        (a.role, a.region)
        for a in roles.assignments
        if a.role in (Role.MENTOR, Role.JUROR, Role.LEADERSHIP)
    ):
        panels.append(_region_reader_panel(role, region, user))
    return panels


def _system_admin_panel() -> Panel:
    has_secretariat = RoleAssignment.objects.filter(region=OuterRef("pk"), role=Role.SECRETARIAT)
    without = Region.objects.exclude(kind=Region.Kind.NATION).filter(~Exists(has_secretariat))
    missing = without.count()
    panel = Panel(
        title=_("System administration"),
        links=[(_("All regions"), reverse("regions:list"))],
        empty=_("Every region has a secretariat. Nothing needs your attention."),
    )
    if missing:
        panel.tasks.append(
            Task(
                ngettext(
                    "%(count)d region has no secretariat yet: invite its secretariat so that it "
                    "can start using Siwanda.",
                    "%(count)d regions have no secretariat yet: invite their secretariats so "
                    "that they can start using Siwanda.",
                    missing,
                )
                % {"count": missing},
                reverse("regions:list"),
                _("Open the regions"),
                "warning",
            )
        )
    return panel


def _secretariat_panel(region: Region) -> Panel:
    code = region.code
    agencies = Agency.objects.filter(region=region, is_active=True).aggregate(
        total=Count("pk"),
        without_operator=Count(
            "pk",
            filter=~Q(
                pk__in=RoleAssignment.objects.filter(role=Role.OPERATOR, region=region).values(
                    "agency_id"
                )
            ),
        ),
    )
    invitations = Invitation.objects.filter(
        region=region, accepted_at=None, revoked_at=None
    ).aggregate(
        pending=Count("pk", filter=Q(expires_at__gt=timezone.now())),
        expired=Count("pk", filter=Q(expires_at__lte=timezone.now())),
    )
    panel = Panel(
        title=_("Secretariat of %(region)s") % {"region": region.name},
        links=[
            (_("Agencies"), reverse("regions:agency_list", args=[code])),
            (_("People"), reverse("accounts:person_list", args=[code])),
            (_("Activity log"), reverse("activity:region_log", args=[code])),
        ],
        empty=_(
            "Everything is in order: every agency has an operator and every invitation has "
            "been answered."
        ),
    )
    if agencies["total"] == 0:
        panel.tasks.append(
            Task(
                _("Your region has no agencies yet. Add them one by one or import a spreadsheet."),
                reverse("regions:agency_import", args=[code]),
                _("Import agencies"),
                "warning",
            )
        )
    elif agencies["without_operator"]:
        n = agencies["without_operator"]
        panel.tasks.append(
            Task(
                ngettext(
                    "%(count)d agency has no operator: invite one so that it can enter "
                    "innovations.",
                    "%(count)d agencies have no operator: invite one so that they can enter "
                    "innovations.",
                    n,
                )
                % {"count": n},
                reverse("regions:agency_list", args=[code]) + "?without=operator",
                _("See these agencies"),
                "warning",
            )
        )
    if invitations["expired"]:
        n = invitations["expired"]
        panel.tasks.append(
            Task(
                ngettext(
                    "%(count)d invitation expired before it was used: send it again.",
                    "%(count)d invitations expired before they were used: send them again.",
                    n,
                )
                % {"count": n},
                reverse("accounts:person_list", args=[code]),
                _("See the people"),
                "danger",
            )
        )
    _secretariat_competition_tasks(panel, region)
    if invitations["pending"]:
        n = invitations["pending"]
        panel.tasks.append(
            Task(
                ngettext(
                    "%(count)d person has not accepted the invitation yet.",
                    "%(count)d people have not accepted the invitation yet.",
                    n,
                )
                % {"count": n},
                reverse("accounts:person_list", args=[code]) + "?status=invited",
                _("See who"),
                "secondary",
            )
        )
    return panel


def _secretariat_competition_tasks(panel: Panel, region: Region) -> None:
    from siwanda.competitions.models import Competition
    from siwanda.competitions.selectors import recipient_list, recipient_status
    from siwanda.innovations.models import EvidenceDocument
    from siwanda.proposals.models import Proposal
    from siwanda.screening.models import Objection

    panel.links.insert(0, (_("Competitions"), reverse("competitions:list")))
    for competition in Competition.objects.filter(region=region).exclude(
        status=Competition.Status.FINISHED
    ):
        if competition.status == Competition.Status.SETUP:
            panel.tasks.append(
                Task(
                    _("%(competition)s is being set up: check the steps, then open it.")
                    % {"competition": competition},
                    reverse("competitions:setup", args=[competition.pk, "review"]),
                    _("Finish and open"),
                    "warning",
                )
            )
        elif competition.status == Competition.Status.OPEN:
            nothing = sum(
                recipient_status(r) in ("nothing", "drafting", "awaiting_approval")
                for r in recipient_list(competition=competition)
            )
            if nothing:
                panel.tasks.append(
                    Task(
                        ngettext(
                            "%(competition)s: %(count)d agency has not submitted a proposal yet.",
                            "%(competition)s: %(count)d agencies have not submitted a proposal "
                            "yet.",
                            nothing,
                        )
                        % {"competition": competition, "count": nothing},
                        reverse("competitions:entries", args=[competition.pk]),
                        _("Remind them"),
                        "warning",
                    )
                )
        elif competition.status == Competition.Status.SCREENING:
            undecided = Proposal.objects.filter(
                competition=competition, status=Proposal.Status.SUBMITTED
            ).count()
            if undecided:
                panel.tasks.append(
                    Task(
                        ngettext(
                            "%(competition)s: %(count)d proposal waits for screening.",
                            "%(competition)s: %(count)d proposals wait for screening.",
                            undecided,
                        )
                        % {"competition": competition, "count": undecided},
                        reverse("screening:list", args=[competition.pk]) + "?status=submitted",
                        _("Screen them"),
                        "warning",
                    )
                )
        objections = Objection.objects.filter(
            proposal__competition=competition, decision=Objection.Decision.PENDING
        ).count()
        if objections:
            panel.tasks.append(
                Task(
                    ngettext(
                        "%(count)d objection to decide.",
                        "%(count)d objections to decide.",
                        objections,
                    )
                    % {"count": objections},
                    reverse("screening:list", args=[competition.pk]) + "?status=failed",
                    _("Decide"),
                    "danger",
                )
            )
    waiting = EvidenceDocument.objects.filter(
        innovation__region=region, status=EvidenceDocument.Status.PENDING
    ).count()
    if waiting:
        panel.tasks.append(
            Task(
                ngettext(
                    "%(count)d evidence document waits for verification.",
                    "%(count)d evidence documents wait for verification.",
                    waiting,
                )
                % {"count": waiting},
                reverse("innovations:list"),
                _("See the innovations"),
                "secondary",
            )
        )


def _agency_panel(user, agency: Agency, roles) -> Panel:
    from siwanda.competitions.deadlines import deadline_for, extension_for
    from siwanda.competitions.selectors import open_competitions_for_agency
    from siwanda.core.templatetags.siwanda import deadline as deadline_text
    from siwanda.innovations.models import Innovation
    from siwanda.proposals.models import Proposal

    is_head = agency.pk in roles.agency_ids(Role.AGENCY_HEAD)
    is_operator = agency.pk in roles.agency_ids(Role.OPERATOR)
    panel = Panel(
        title=agency.name,
        subtitle=_("Agency head") if is_head else _("Agency operator"),
        links=[
            (_("Innovations"), reverse("innovations:list") + f"?agency={agency.pk}"),
            (_("Proposals"), reverse("proposals:list")),
            (_("Agency profile"), reverse("regions:agency_detail", args=[agency.pk])),
        ],
        empty=_("Nothing is waiting for you in this agency."),
    )
    proposals = Proposal.objects.filter(agency=agency).select_related("competition")
    if is_head:
        for proposal in proposals.filter(status=Proposal.Status.AWAITING_APPROVAL):
            panel.tasks.append(
                Task(
                    _("“%(title)s” is waiting for your approval.") % {"title": proposal.title},
                    reverse("proposals:detail", args=[proposal.pk]),
                    _("Read and approve"),
                    "warning",
                )
            )
    for competition in open_competitions_for_agency(agency):
        closes = deadline_for(competition, agency, extension_for(competition, agency))
        mine = [p for p in proposals if p.competition_id == competition.pk]
        sent = sum(p.status in Proposal.IN_COMPETITION for p in mine)
        waiting = sum(p.status == Proposal.Status.AWAITING_APPROVAL for p in mine)
        drafts = sum(p.status == Proposal.Status.DRAFT for p in mine)
        panel.tasks.append(
            Task(
                _(
                    "%(competition)s: deadline %(deadline)s. Your agency's proposals: "
                    "%(sent)d submitted, %(waiting)d awaiting approval, %(drafts)d in draft."
                )
                % {
                    "competition": competition,
                    "deadline": deadline_text(closes, competition.region),
                    "sent": sent,
                    "waiting": waiting,
                    "drafts": drafts,
                },
                reverse("competitions:detail", args=[competition.pk]),
                _("Write a proposal") if is_operator and not mine else _("Go to the competition"),
                "primary" if sent else "warning",
            )
        )
    if is_operator:
        for proposal in proposals.filter(status=Proposal.Status.DRAFT).exclude(return_comment=""):
            panel.tasks.append(
                Task(
                    _("“%(title)s” was returned by the agency head: %(comment)s")
                    % {"title": proposal.title, "comment": proposal.return_comment},
                    reverse("proposals:edit", args=[proposal.pk]),
                    _("Revise"),
                    "danger",
                )
            )
        commented = proposals.filter(
            status=Proposal.Status.DRAFT,
            mentor_comments__parent=None,
            mentor_comments__resolved_at=None,
        ).distinct()
        for proposal in commented:
            panel.tasks.append(
                Task(
                    _("A mentor commented on “%(title)s”.") % {"title": proposal.title},
                    reverse("proposals:edit", args=[proposal.pk]),
                    _("Read the comments"),
                    "info",
                )
            )
        if not Innovation.objects.filter(agency=agency).exists():
            panel.tasks.append(
                Task(
                    _(
                        "Register your agency's innovations once: every competition and the "
                        "innovation index reuse them."
                    ),
                    reverse("innovations:create") + f"?agency={agency.pk}",
                    _("Register an innovation"),
                    "secondary",
                )
            )
    if not user.position:
        panel.tasks.append(
            Task(
                _(
                    "Complete your profile with your position (jabatan) so that the secretariat "
                    "knows who you are."
                ),
                reverse("accounts:profile"),
                _("Complete my profile"),
                "secondary",
            )
        )
    return panel


def _mentor_tasks(user, region: Region) -> list[Task]:
    from siwanda.mentoring.selectors import mentored_filter
    from siwanda.proposals.models import Proposal

    drafts = Proposal.objects.filter(
        mentored_filter(user), competition__region=region, status=Proposal.Status.DRAFT
    )
    return [
        Task(
            _("“%(title)s” (%(agency)s) is being written.")
            % {"title": proposal.title, "agency": proposal.agency.name},
            reverse("proposals:detail", args=[proposal.pk]),
            _("Read and comment"),
            "info",
        )
        for proposal in drafts.select_related("agency")[:10]
    ]


def _region_reader_panel(role: str, region: Region, user=None) -> Panel:
    titles = {
        Role.MENTOR: _("Mentor in %(region)s"),
        Role.JUROR: _("Juror in %(region)s"),
        Role.LEADERSHIP: _("Leadership of %(region)s"),
    }
    empties = {
        Role.MENTOR: _("No proposal is waiting for your comments."),
        Role.JUROR: _("You have no proposals to score at the moment."),
        Role.LEADERSHIP: _("There is nothing to review at the moment."),
    }
    panel = Panel(
        title=titles[role] % {"region": region.name},
        empty=empties[role],
        links=[
            (_("Agencies"), reverse("regions:agency_list", args=[region.code])),
            (_("Competitions"), reverse("competitions:list")),
        ],
    )
    if role == Role.MENTOR and user is not None:
        panel.tasks = _mentor_tasks(user, region)
    if role == Role.JUROR and user is not None:
        panel.tasks = _juror_tasks(user, region)
    return panel


def _juror_tasks(user, region: Region) -> list[Task]:
    """One task per stage being scored with sheets still open: "3 of 7 done, due …"."""
    from siwanda.judging.models import Stage
    from siwanda.judging.selectors import juror_work

    tasks = []
    for work in juror_work(user):
        stage = work.stage
        if stage.competition.region_id != region.pk or stage.status != Stage.Status.SCORING:
            continue
        if work.done == work.total:
            continue
        text = _("%(stage)s, %(competition)s: %(done)d of %(total)d done.") % {
            "stage": stage,
            "competition": stage.competition,
            "done": work.done,
            "total": work.total,
        }
        if stage.ends_on:
            text += " " + _("Scores are due %(day)s.") % {"day": day(stage.ends_on)}
        tasks.append(Task(text, reverse("judging:my_assignments"), _("Score"), "warning"))
    return tasks
