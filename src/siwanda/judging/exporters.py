"""Exports of judging, built in the background (siwanda.core.exports): a stage's workbook and the
final result's, with every score per proposal, criterion and juror, raw and normalised, the
comments and the moderation decisions; and the jury book of a stage's proposals as a PDF."""

import io

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook

from siwanda.accounts.models import User
from siwanda.competitions.models import Competition
from siwanda.proposals.models import Proposal
from siwanda.proposals.selectors import proposal_parts

from .models import Moderation, Score, Stage
from .ranking import TIE_BREAKERS, final, load
from .selectors import juror_assignments_in, ranking_view
from .services import stage_conflicts


def _number(value, places=2):
    return None if value is None else round(value, places)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook, title, header):
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(h) for h in header])
    return sheet


def _stage(params):
    return Stage.objects.select_related("competition__region", "rubric").get(pk=params["stage"])


class StageWorkbook:
    """Everything a committee needs to justify a stage's selection."""

    @staticmethod
    def allowed(user, params) -> bool:
        stage = Stage.objects.select_related("competition").filter(pk=params.get("stage")).first()
        return stage is not None and (
            user.has_perm("judging.manage_stage", stage) or user.has_perm("judging.moderate", stage)
        )

    @staticmethod
    def title(params):
        stage = _stage(params)
        return _("Scores of %(stage)s, %(competition)s") % {
            "stage": stage,
            "competition": stage.competition,
        }

    @staticmethod
    def build(params, user, progress):
        stage = _stage(params)
        view = ranking_view(stage, user)
        result = view.result
        criteria = list(stage.rubric.criteria.all()) if stage.rubric_id else []
        jurors = {j.pk: j for j in User.objects.filter(judging_assignments__stage=stage).distinct()}
        workbook = Workbook(write_only=True)
        total = len(result.rows) * 2 + 1
        done = 0

        ranking = _sheet(
            workbook,
            _("Ranking"),
            [
                _("Rank"),
                _("Proposal"),
                _("Agency"),
                _("Group"),
                _("Score that ranks"),
                _("Raw (%(method)s)") % {"method": stage.get_aggregation_display()},
                _("Normalised (%(method)s of z-scores)")
                % {"method": stage.get_aggregation_display()},
                _("Rank by raw"),
                _("Rank by normalised"),
                _("Consensus"),
                _("Jurors"),
                _("Spread"),
                _("Flagged"),
                _("Missing scores"),
                _("Tie broken by"),
                _("Outcome"),
            ],
        )
        for row in result.rows:
            p = view.proposals[row.proposal]
            entry = view.entries.get(row.proposal)
            ranking.append(
                [
                    row.rank,
                    p.title,
                    p.agency.name,
                    str(p.group),
                    _number(row.score),
                    _number(row.raw),
                    _number(row.normalised),
                    row.rank_raw,
                    row.rank_normalised,
                    _number(row.consensus),
                    len(row.jurors),
                    _number(row.spread),
                    _("yes") if row.flagged else "",
                    row.missing,
                    str(TIE_BREAKERS.get(row.tie_broken_by, "")),
                    entry.get_outcome_display() if entry else "",
                ]
            )
            done += 1
            if done % 200 == 0:
                progress(done, total)

        per_juror = _sheet(
            workbook,
            _("Per juror"),
            [
                _("Proposal"),
                _("Juror"),
                _("Total (0–100)"),
                _("Normalised total"),
            ],
        )
        for row in result.rows:
            p = view.proposals[row.proposal]
            for juror, value in sorted(row.jurors.items()):
                per_juror.append(
                    [
                        p.title,
                        str(jurors[juror]),
                        _number(value),
                        _number(row.normalised_jurors.get(juror)),
                    ]
                )
            done += 1
            if done % 200 == 0:
                progress(done, total)

        detail = _sheet(
            workbook,
            _("Per criterion"),
            [
                _("Proposal"),
                _("Juror"),
                _("Criterion"),
                _("Weight"),
                _("Score"),
                _("Not applicable"),
                _("Comment"),
                _("Sheet"),
            ],
        )
        shown = set(view.proposals)
        scores = (
            Score.objects.filter(
                sheet__assignment__stage=stage,
                sheet__assignment__calibration=False,
                sheet__assignment__proposal_id__in=shown,
            )
            .select_related("criterion", "sheet__assignment")
            .order_by(
                "sheet__assignment__proposal_id", "sheet__assignment__juror_id", "criterion__order"
            )
        )
        conflicted = stage_conflicts(stage, Proposal.objects.filter(pk__in=shown))
        for s in scores.iterator(chunk_size=2000):
            a = s.sheet.assignment
            if (a.juror_id, a.proposal_id) in conflicted:
                continue
            detail.append(
                [
                    view.proposals[a.proposal_id].title,
                    str(jurors[a.juror_id]),
                    str(s.criterion),
                    float(s.criterion.weight),
                    None if s.value is None else float(s.value),
                    _("yes") if s.not_applicable else "",
                    s.comment,
                    s.sheet.get_status_display(),
                ]
            )

        moderation = _sheet(
            workbook,
            _("Moderation"),
            [
                _("Proposal"),
                _("Spread"),
                _("Status"),
                _("Consensus"),
                _("Justification"),
                _("Decided by"),
                _("Decided at"),
            ],
        )
        for m in view.moderations.values():
            if m.proposal_id not in shown:
                continue
            moderation.append(
                [
                    view.proposals[m.proposal_id].title,
                    float(m.spread),
                    m.get_status_display(),
                    None if m.consensus is None else float(m.consensus),
                    m.justification,
                    str(m.decided_by or ""),
                    m.decided_at.isoformat(timespec="minutes") if m.decided_at else "",
                ]
            )

        method = _sheet(workbook, _("Method"), [_("Item"), _("Value")])
        method.append([_("Aggregation"), str(stage.get_aggregation_display())])
        method.append(
            [
                _("Ranked by"),
                _("normalised totals (per-juror z-scores)")
                if stage.rank_by_normalised
                else _("raw totals"),
            ]
        )
        method.append(
            [
                _("Tie-breaks, in order"),
                "; ".join(str(TIE_BREAKERS[t]) for t in stage.tie_breakers if t in TIE_BREAKERS),
            ]
        )
        method.append([_("Disagreement threshold"), float(stage.disagreement)])
        method.append([_("ICC(1), one juror"), _number(result.icc.single, 3)])
        method.append([_("ICC(1,k), the panel's mean"), _number(result.icc.average, 3)])
        method.append([_("Krippendorff's alpha (interval)"), _number(result.alpha, 3)])
        for c in criteria:
            method.append([_("Weight: %(criterion)s") % {"criterion": c}, float(c.weight)])
        for juror, value in sorted(result.severity.items()):
            if juror in jurors:
                method.append(
                    [
                        _("Severity (−) or leniency (+): %(juror)s") % {"juror": jurors[juror]},
                        _number(value),
                    ]
                )
        for juror in sorted(result.raw_jurors):
            if juror in jurors:
                method.append(
                    [_("Left raw (too few scores): %(juror)s") % {"juror": jurors[juror]}, ""]
                )
        progress(total, total)
        name = slugify(f"{stage.competition.name}-{stage.competition.year}-{stage.name}")
        return f"{name}.xlsx", _save(workbook)


class FinalWorkbook:
    """The combined result over the weighted stages, with each stage's score."""

    @staticmethod
    def allowed(user, params) -> bool:
        competition = Competition.objects.filter(pk=params.get("competition")).first()
        return competition is not None and user.has_perm(
            "competitions.manage_competition", competition
        )

    @staticmethod
    def title(params):
        competition = Competition.objects.get(pk=params["competition"])
        return _("Final result of %(competition)s") % {"competition": competition}

    @staticmethod
    def build(params, user, progress):
        competition = Competition.objects.get(pk=params["competition"])
        stages = [
            s for s in competition.stages.select_related("rubric").order_by("order") if s.rubric_id
        ]
        inputs = [load(s) for s in stages]
        rows = final(inputs, {s.pk: float(s.weight) for s in stages}) if inputs else []
        proposals = Proposal.objects.in_bulk([r.proposal for r in rows])
        agencies = {
            p.pk: p.agency.name
            for p in Proposal.objects.filter(pk__in=proposals).select_related("agency")
        }
        workbook = Workbook(write_only=True)
        sheet = _sheet(
            workbook,
            _("Final result"),
            [
                _("Rank"),
                _("Proposal"),
                _("Agency"),
                _("Combined score"),
                *[f"{s} ({s.weight}%)" for s in stages],
                _("Tie broken by"),
            ],
        )
        for row in rows:
            sheet.append(
                [
                    row.rank,
                    proposals[row.proposal].title,
                    agencies[row.proposal],
                    _number(row.score),
                    *[_number(row.stages.get(s.pk)) for s in stages],
                    str(TIE_BREAKERS.get(row.tie_broken_by, "")),
                ]
            )
        moderation = _sheet(
            workbook,
            _("Moderation"),
            [
                _("Stage"),
                _("Proposal"),
                _("Spread"),
                _("Consensus"),
                _("Justification"),
                _("Decided by"),
            ],
        )
        for m in Moderation.objects.filter(stage__competition=competition).select_related(
            "stage", "proposal", "decided_by"
        ):
            moderation.append(
                [
                    str(m.stage),
                    m.proposal.title,
                    float(m.spread),
                    None if m.consensus is None else float(m.consensus),
                    m.justification,
                    str(m.decided_by or ""),
                ]
            )
        specials = _sheet(
            workbook,
            _("Special categories"),
            [_("Category"), _("Proposal"), _("Agency"), _("Reason")],
        )
        for a in competition.special_awards.select_related("proposal__agency"):
            specials.append([a.name, a.proposal.title, a.proposal.agency.name, a.reason])
        progress(1, 1)
        return f"{slugify(competition.name)}-{competition.year}-final.xlsx", _save(workbook)


class JuryBook:
    """The proposals of a stage as one PDF: all of them for the secretariat, a juror's own
    (conflict-free) assignments for a panel member."""

    @staticmethod
    def allowed(user, params) -> bool:
        stage = Stage.objects.select_related("competition").filter(pk=params.get("stage")).first()
        return stage is not None and (
            user.has_perm("judging.manage_stage", stage) or stage.panel.filter(juror=user).exists()
        )

    @staticmethod
    def title(params):
        stage = _stage(params)
        return _("Jury book of %(stage)s, %(competition)s") % {
            "stage": stage,
            "competition": stage.competition,
        }

    @staticmethod
    def build(params, user, progress):
        from weasyprint import HTML

        stage = _stage(params)
        proposals = Proposal.objects.filter(stage_entries__stage=stage)
        if not user.has_perm("judging.manage_stage", stage):
            proposals = proposals.filter(pk__in=juror_assignments_in(user, stage).keys())
        proposals = list(
            proposals.select_related("agency", "group", "category", "innovation").order_by(
                "agency__name", "title"
            )
        )
        items = []
        for i, proposal in enumerate(proposals, start=1):
            items.append({"proposal": proposal, "parts": proposal_parts(proposal)})
            if i % 10 == 0:
                progress(i, len(proposals) + 1)
        html = render_to_string(
            "judging/jury_book.html",
            {"stage": stage, "competition": stage.competition, "items": items},
        )
        pdf = HTML(string=html).write_pdf()
        progress(len(proposals) + 1, len(proposals) + 1)
        name = slugify(f"{stage.competition.name}-{stage.competition.year}-{stage.name}")
        return f"{name}-jury-book.pdf", pdf
