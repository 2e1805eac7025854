"""Publishing results: an immutable snapshot of everything the ranking rests on, certificates
with verification codes, the awards written into each innovation's history, and the proofs that
a published ranking is what its inputs (and the audit trail) give."""

import hashlib
import json
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siwanda.activity.models import ActivityEntry
from siwanda.activity.services import activity_record
from siwanda.catalogue.indexing import catalogue_refresh
from siwanda.competitions.models import Competition
from siwanda.competitions.services import agency_people
from siwanda.core.notify import notify
from siwanda.core.permissions import require_perm
from siwanda.innovations.models import Award
from siwanda.judging.models import Entry, Moderation, SpecialAward, Stage
from siwanda.judging.ranking import StageInput, compute, final, load
from siwanda.proposals.models import Proposal

from .models import Certificate, Publication

PLACES = 4  # scores are published rounded to this many decimals


def canonical(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest_of(data) -> str:
    return hashlib.sha256(canonical(data).encode()).hexdigest()


def _round(value):
    return None if value is None else round(value, PLACES)


def _ranking_rows(result, outcomes):
    return [
        {
            "proposal": r.proposal,
            "rank": r.rank,
            "score": _round(r.score),
            "raw": _round(r.raw),
            "normalised": _round(r.normalised),
            "consensus": _round(r.consensus),
            "rank_raw": r.rank_raw,
            "rank_normalised": r.rank_normalised,
            "jurors": len(r.jurors),
            "spread": _round(r.spread),
            "flagged": r.flagged,
            "missing": r.missing,
            "tie_broken_by": r.tie_broken_by,
            "outcome": outcomes.get(r.proposal, Entry.Outcome.PENDING),
        }
        for r in result.rows
    ]


def _final_rows(inputs, weights):
    return [
        {
            "proposal": f.proposal,
            "rank": f.rank,
            "score": _round(f.score),
            "stages": {str(s): _round(v) for s, v in f.stages.items()},
            "tie_broken_by": f.tie_broken_by,
        }
        for f in final(inputs, weights)
    ]


def publication_data(competition: Competition) -> dict:
    """Everything the results rest on, as plain data: each stage's rules, criteria and inputs
    (every submitted score), its ranking (raw and normalised), reliability and moderation; the
    combined ranking, the winners and the special categories."""
    stages = list(competition.stages.select_related("rubric").order_by("order", "id"))
    outcomes = defaultdict(dict)
    for stage_id, proposal, outcome in Entry.objects.filter(stage__in=stages).values_list(
        "stage_id", "proposal_id", "outcome"
    ):
        outcomes[stage_id][proposal] = outcome
    moderations = defaultdict(list)
    for m in Moderation.objects.filter(stage__in=stages).select_related("decided_by"):
        moderations[m.stage_id].append(
            {
                "proposal": m.proposal_id,
                "spread": str(m.spread),
                "status": m.status,
                "consensus": None if m.consensus is None else str(m.consensus),
                "justification": m.justification,
                "decided_by": m.decided_by.full_name if m.decided_by else "",
                "decided_at": m.decided_at.isoformat() if m.decided_at else None,
            }
        )
    stage_data, inputs, weights = [], [], {}
    for stage in stages:
        item = {
            "id": stage.pk,
            "name": stage.name,
            "name_en": stage.name_en,
            "kind": stage.kind,
            "weight": float(stage.weight),
            "aggregation": stage.aggregation,
            "normalised": stage.rank_by_normalised,
            "tie_breakers": list(stage.tie_breakers),
            "advancement": stage.advancement,
            "top_n": stage.top_n,
            "passing_grade": None if stage.passing_grade is None else float(stage.passing_grade),
            "criteria": [],
            "input": None,
            "ranking": [],
            "reliability": None,
            "moderation": moderations[stage.pk],
            "outcomes": {str(p): o for p, o in sorted(outcomes[stage.pk].items())},
        }
        if stage.rubric_id:
            item["criteria"] = [
                {"id": c.pk, "name": c.name, "name_en": c.name_en, "weight": float(c.weight)}
                for c in stage.rubric.criteria.all()
            ]
            item["scale"] = [float(stage.rubric.scale_min), float(stage.rubric.scale_max)]
            data = load(stage)
            result = compute(data)
            item["input"] = data.as_json()
            item["ranking"] = _ranking_rows(result, outcomes[stage.pk])
            item["reliability"] = {
                "icc_single": _round(result.icc.single),
                "icc_average": _round(result.icc.average),
                "k": _round(result.icc.k),
                "alpha": _round(result.alpha),
                "severity": {str(j): _round(v) for j, v in sorted(result.severity.items())},
                "raw_jurors": sorted(result.raw_jurors),
            }
            inputs.append(data)
            weights[stage.pk] = float(stage.weight)
        stage_data.append(item)
    final_rows = _final_rows(inputs, weights) if inputs else []
    last = stages[-1]
    winners = {p for p, o in outcomes[last.pk].items() if o == Entry.Outcome.ADVANCED}
    order = {row["proposal"]: row["rank"] for row in final_rows}
    ranked_winners = sorted(winners, key=lambda p: (order.get(p, 10**6), p))
    specials = [
        {"proposal": a.proposal_id, "name": a.name, "name_en": a.name_en, "reason": a.reason}
        for a in SpecialAward.objects.filter(competition=competition).order_by("name", "id")
    ]
    involved = (
        {row["proposal"] for s in stage_data for row in s["ranking"]}
        | winners
        | {s["proposal"] for s in specials}
    )
    proposals = {
        str(p.pk): {
            "title": p.title,
            "agency": p.agency.name,
            "agency_id": p.agency_id,
            "innovation": p.innovation_id,
            "group": p.group.name,
            "category": p.category.name if p.category else "",
        }
        for p in Proposal.objects.filter(pk__in=involved).select_related(
            "agency", "group", "category"
        )
    }
    from siwanda.accounts.models import User

    juror_ids = {sheet[0] for s in stage_data if s["input"] for sheet in s["input"]["sheets"]}
    return {
        "competition": {
            "id": competition.pk,
            "name": competition.name,
            "name_en": competition.name_en,
            "year": competition.year,
            "level": competition.level,
            "region": competition.region.name,
        },
        "stages": stage_data,
        "final": final_rows,
        "winners": [{"proposal": p, "place": i + 1} for i, p in enumerate(ranked_winners)],
        "special": specials,
        "proposals": proposals,
        "jurors": {str(u.pk): u.full_name for u in User.objects.filter(pk__in=juror_ids)},
    }


def _new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
    while True:
        code = "".join(secrets.choice(alphabet) for _ in range(10))
        if not Certificate.objects.filter(code=code).exists():
            return code


def _awards_in(data) -> dict[tuple, dict]:
    """(proposal, kind, rank, name) → what a certificate says, for each award in the data."""
    competition = data["competition"]
    top = len(data["winners"])
    awards = {}
    title = f"{competition['name']} {competition['year']}"
    title_en = f"{competition['name_en'] or competition['name']} {competition['year']}"
    for w in data["winners"]:
        key = (w["proposal"], Certificate.Kind.RANK, w["place"], f"Top {top} {title}")
        awards[key] = {"name_en": f"Top {top} {title_en}"}
    for s in data["special"]:
        key = (s["proposal"], Certificate.Kind.SPECIAL, None, f"{s['name']} {title}")
        awards[key] = {"name_en": f"{s['name_en'] or s['name']} {title_en}"}
    return awards


def _issue_certificates(publication, previous_certificates, reason):
    """Keep the certificates whose award did not change, revoke the others, issue new ones."""
    data = publication.data
    wanted = _awards_in(data)
    kept = set()
    now = publication.published_at
    for cert in previous_certificates:
        key = (cert.proposal_id, cert.kind, cert.rank, cert.name)
        if key in wanted:
            kept.add(key)
        else:
            cert.revoked_at = now
            cert.revoked_reason = reason
            cert.save(update_fields=["revoked_at", "revoked_reason"])
    for key, extra in wanted.items():
        if key in kept:
            continue
        proposal, kind, rank, name = key
        info = data["proposals"][str(proposal)]
        Certificate.objects.create(
            publication=publication,
            proposal_id=proposal,
            code=_new_code(),
            kind=kind,
            rank=rank,
            name=name,
            name_en=extra["name_en"],
            innovation_title=info["title"],
            agency_name=info["agency"],
            issued_at=now,
        )


def _write_awards(competition, data):
    """The awards in each innovation's history (rewritten by a correction)."""
    before = list(
        Award.objects.filter(competition=competition).values_list("innovation_id", flat=True)
    )
    Award.objects.filter(competition=competition).delete()
    awards = []
    for (proposal, kind, _rank, name), _extra in _awards_in(data).items():
        info = data["proposals"][str(proposal)]
        awards.append(
            Award(
                innovation_id=info["innovation"],
                year=competition.year,
                level=competition.level,
                title=name[:200],
                is_top=kind == Certificate.Kind.RANK,
                competition=competition,
            )
        )
    Award.objects.bulk_create(awards)
    catalogue_refresh({a.innovation_id for a in awards} | set(before))


def publish_problems(competition) -> list[str]:
    problems = []
    last = competition.stages.order_by("-order").first()
    if last is None:
        problems.append(_("The competition has no judging stage."))
    elif not last.entries.exclude(outcome=Entry.Outcome.PENDING).exists():
        problems.append(_("The outcomes of the last stage are not applied yet."))
    if competition.status not in (Competition.Status.JUDGING, Competition.Status.FINISHED):
        problems.append(_("The competition is not being judged."))
    return problems


@transaction.atomic
def results_publish(*, actor, competition, reason: str = "") -> Publication:
    """Publish the results: freeze the snapshot, issue certificates, write the awards into the
    innovations' history, finish the competition and tell the agencies. Publishing again is a
    correction: it needs a reason and supersedes the earlier snapshot (which stays)."""
    competition = (
        Competition.objects.select_for_update().select_related("region").get(pk=competition.pk)
    )
    require_perm(actor, "competitions.manage_competition", competition)
    Stage.objects.select_for_update().filter(competition=competition).exists()
    problems = publish_problems(competition)
    if problems:
        raise ValidationError(problems)
    previous = competition.publications.order_by("-number").first()
    if previous is not None and not reason.strip():
        raise ValidationError({"reason": _("A correction needs its reason.")})
    data = publication_data(competition)
    number = (competition.publications.aggregate(m=Max("number"))["m"] or 0) + 1
    publication = Publication.objects.create(
        competition=competition,
        number=number,
        data=data,
        digest=digest_of(data),
        reason=reason.strip(),
        published_by=actor,
        published_at=timezone.now(),
    )
    previous_certificates = list(
        Certificate.objects.filter(publication__competition=competition, revoked_at=None)
    )
    _issue_certificates(publication, previous_certificates, reason.strip())
    _write_awards(competition, data)
    if competition.status != Competition.Status.FINISHED:
        competition.status = Competition.Status.FINISHED
        competition.save(update_fields=["status"])
    from .tasks import render_certificates

    transaction.on_commit(lambda: render_certificates.enqueue(publication_id=publication.pk))
    activity_record(
        actor=actor,
        action="results.corrected" if previous else "results.published",
        target=competition,
        region=competition.region,
        data={"publication": number, "digest": publication.digest, "reason": reason.strip()},
    )
    agencies = {info["agency_id"] for info in data["proposals"].values()}
    notify(
        users=agency_people(list(agencies)),
        message=gettext_lazy("The results of %(competition)s are published.")
        if previous is None
        else gettext_lazy("The results of %(competition)s were corrected: %(reason)s"),
        params={"competition": competition, "reason": reason.strip()},
        url=reverse("results:public", args=[competition.pk]),
    )
    return publication


# --- Proofs ---------------------------------------------------------------------------------------


@dataclass
class Check:
    same: bool
    differences: list[str]


def _compare(published: list[dict], recomputed: list[dict]) -> list[str]:
    def key(rows):
        return {r["proposal"]: (r["rank"], r["score"]) for r in rows}

    a, b = key(published), key(recomputed)
    return [
        _("“%(p)s”: published rank %(a)s, recomputed %(b)s")
        % {"p": p, "a": a.get(p), "b": b.get(p)}
        for p in sorted(a.keys() | b.keys())
        if a.get(p) != b.get(p)
    ]


def _recompute(data: dict, inputs: dict[int, StageInput]) -> list[str]:
    differences = []
    weights = {}
    ordered = []
    for stage in data["stages"]:
        data_in = inputs.get(stage["id"])
        if data_in is None:
            continue
        result = compute(data_in)
        differences += _compare(stage["ranking"], _ranking_rows(result, {}))
        weights[stage["id"]] = stage["weight"]
        ordered.append(data_in)
    if ordered:
        differences += _compare(data["final"], _final_rows(ordered, weights))
    return differences


def publication_recompute(publication: Publication) -> Check:
    """Compute every ranking again from the inputs frozen in the snapshot."""
    data = publication.data
    inputs = {s["id"]: StageInput.from_json(s["input"]) for s in data["stages"] if s["input"]}
    differences = _recompute(data, inputs)
    if digest_of(data) != publication.digest:
        differences.insert(0, _("The snapshot does not match its digest."))
    return Check(not differences, differences)


def _from_log(stage: dict, published_at) -> StageInput:
    """The stage's scores, consensus decisions and votes as the audit trail tells them up to the
    publication; rules, entries and missing sheets come from the snapshot."""
    frozen = StageInput.from_json(stage["input"])
    sheets: dict[int, list] = {}
    consensus: dict[str, float] = {}
    votes: dict[str, int] = {}
    entries = ActivityEntry.objects.filter(
        action__in=(
            "judging.sheet_submitted",
            "judging.sheet_reopened",
            "judging.recused",
            "judging.moderated",
            "judging.votes_recorded",
        ),
        data__stage=stage["id"],
        created_at__lte=published_at,
    ).order_by("created_at", "id")
    for entry in entries:
        data = entry.data
        if entry.action == "judging.sheet_submitted":
            if data.get("calibration"):
                continue
            sheets[data["assignment"]] = [
                entry.actor_id,
                int(entry.target_id),
                {c: None if v is None else float(v) for c, v in data["scores"].items()},
            ]
        elif entry.action == "judging.sheet_reopened":
            sheets.pop(data["assignment"], None)
        elif entry.action == "judging.recused":
            for assignment in data.get("assignments", []):
                sheets.pop(assignment, None)
        elif entry.action == "judging.moderated":
            after = entry.changes.get("consensus", {}).get("after")
            if after is None:
                consensus.pop(entry.target_id, None)
            else:
                consensus[entry.target_id] = float(after)
        elif entry.action == "judging.votes_recorded":
            votes = {k: v for k, v in {**votes, **data["votes"]}.items() if v is not None}
    excluded = {tuple(pair) for pair in frozen.excluded}
    frozen.sheets = sorted(
        (s for s in sheets.values() if (s[0], s[1]) not in excluded),
        key=lambda s: (s[1], s[0]),
    )
    frozen.consensus = consensus
    frozen.votes = votes
    return frozen


def publication_replay(publication: Publication) -> Check:
    """Rebuild every score from the audit trail (the submitted sheets logged one by one) and
    compute the rankings again: the published ranking must come out."""
    data = publication.data
    inputs = {s["id"]: _from_log(s, publication.published_at) for s in data["stages"] if s["input"]}
    differences = _recompute(data, inputs)
    return Check(not differences, differences)


def current_publication(competition) -> Publication | None:
    return competition.publications.order_by("-number").first()


def winners_table(publication) -> list[dict]:
    """The winners in their places, then the special categories, with what the documents and
    pages show of each."""
    data = publication.data
    scores = {row["proposal"]: row["score"] for row in data["final"]}
    rows = [
        {
            "place": w["place"],
            "special": "",
            "reason": "",
            "score": scores.get(w["proposal"]),
            **data["proposals"][str(w["proposal"])],
        }
        for w in data["winners"]
    ]
    rows += [
        {
            "place": None,
            "special": s["name"],
            "special_en": s["name_en"],
            "reason": s["reason"],
            "score": None,
            **data["proposals"][str(s["proposal"])],
        }
        for s in data["special"]
    ]
    return rows
