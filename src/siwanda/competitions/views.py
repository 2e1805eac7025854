from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.core.actions import FAILED, form_action, report
from siwanda.core.forms import apply_errors
from siwanda.proposals.models import Proposal
from siwanda.regions.selectors import regions_managed_by

from . import selectors, services
from .deadlines import deadline_for, extension_for
from .forms import (
    BasicsForm,
    CreateForm,
    DeclineForm,
    ExtensionForm,
    FieldForm,
    GroupRowForm,
    MilestoneRowForm,
    NamedRowForm,
    RulesForm,
    SectionForm,
    TimelineForm,
    row_formset,
)
from .models import CallRecipient, Competition, FormField, FormSection, FormVersion, ProposalForm

STEPS = [
    ("basics", gettext_lazy("Basics")),
    ("groups", gettext_lazy("Groups and categories")),
    ("timeline", gettext_lazy("Timeline")),
    ("rules", gettext_lazy("Rules and checklist")),
    ("forms", gettext_lazy("Proposal forms")),
    ("review", gettext_lazy("Review and open")),
]


def competition_for(request, pk, perm="competitions.view_competition") -> Competition:
    competition = get_object_or_404(
        selectors.competitions_visible_to(request.user).select_related("region"), pk=pk
    )
    if not request.user.has_perm(perm, competition):
        raise PermissionDenied
    return competition


@login_required
def competition_list(request):
    managed = list(regions_managed_by(request.user)[:2])
    return render(
        request,
        "competitions/list.html",
        {
            "competitions": selectors.competition_list(user=request.user),
            "can_create": bool(managed) and not roles_of(request.user).is_system_admin,
        },
    )


@login_required
def competition_create(request):
    regions = list(
        regions_managed_by(request.user).filter(
            pk__in=roles_of(request.user).region_ids(Role.SECRETARIAT)
        )
    )
    if not regions:
        raise PermissionDenied
    region = regions[0]
    earlier = Competition.objects.filter(region=region).order_by("-year")[:10]
    year = timezone.localdate().year
    form = CreateForm(
        request.POST or None,
        templates=services.templates(),
        earlier=earlier,
        initial={
            "year": year,
            "opens_on": timezone.localdate(),
            "source": "template:kipp-kabupaten"
            if region.kind != "province"
            else "template:kipp-provinsi",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, _sep, key = data["source"].partition(":")
        try:
            if kind == "copy":
                competition = services.competition_copy(
                    actor=request.user,
                    source=get_object_or_404(Competition, region=region, pk=key),
                    year=data["year"],
                    name=data["name"],
                )
            else:
                competition = services.competition_create_from_template(
                    actor=request.user,
                    region=region,
                    template_key=key,
                    year=data["year"],
                    name=data["name"],
                    opens_on=data["opens_on"],
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Competition created. Check each step, then open it."))
            return redirect("competitions:setup", pk=competition.pk, step="basics")
    return render(request, "competitions/create.html", {"form": form, "region": region})


@login_required
def competition_detail(request, pk):
    competition = competition_for(request, pk)
    roles = roles_of(request.user)
    my_agencies = [
        a
        for a in roles.agencies(Role.OPERATOR, Role.AGENCY_HEAD)
        if a.region_id == competition.region_id
    ]
    recipients = {
        r.agency_id: r
        for r in CallRecipient.objects.filter(competition=competition, agency__in=my_agencies)
    }
    agencies = []
    for agency in my_agencies:
        extension = extension_for(competition, agency)
        agencies.append(
            {
                "agency": agency,
                "recipient": recipients.get(agency.pk),
                "deadline": deadline_for(competition, agency, extension),
                "extension": extension,
                "can_start": agency.pk in roles.agency_ids(Role.OPERATOR),
                "proposals": Proposal.objects.filter(competition=competition, agency=agency)
                .select_related("group")
                .order_by("-updated_at"),
            }
        )
    can_manage = request.user.has_perm("competitions.manage_competition", competition)
    return render(
        request,
        "competitions/detail.html",
        {
            "competition": competition,
            "can_manage": can_manage,
            "agencies": agencies,
            "groups": competition.groups.select_related("form"),
            "milestones": competition.milestones.all(),
            "counts": _status_counts(competition) if can_manage else None,
            "decline_form": DeclineForm(),
            "published": competition.publications.exists(),
        },
    )


def _status_counts(competition):
    from django.db.models import Count

    rows = competition.proposals.values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    return [(label, counts.get(value, 0), value) for value, label in Proposal.Status.choices]


# --- Set-up steps --------------------------------------------------------------------------------


def _rows(formset) -> list[dict]:
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@login_required
def competition_setup(request, pk, step):
    competition = competition_for(request, pk, "competitions.manage_competition")
    if step not in dict(STEPS):
        raise PermissionDenied
    handler = {
        "basics": _step_basics,
        "groups": _step_groups,
        "timeline": _step_timeline,
        "rules": _step_rules,
        "forms": _step_forms,
        "review": _step_review,
    }[step]
    context = handler(request, competition)
    if not isinstance(context, dict):
        return context  # a redirect after saving
    keys = [key for key, _label in STEPS]
    following = keys[keys.index(step) + 1] if step != keys[-1] else None
    return render(
        request,
        f"competitions/setup_{step}.html",
        {
            "competition": competition,
            "steps": STEPS,
            "step": step,
            "next_step": following,
            **context,
        },
    )


def _saved(request, competition, step):
    messages.success(request, _("Saved."))
    keys = [key for key, _label in STEPS]
    if "next" in request.POST and step != keys[-1]:
        step = keys[keys.index(step) + 1]
    return redirect("competitions:setup", pk=competition.pk, step=step)


def _step_basics(request, competition):
    form = BasicsForm(
        request.POST or None,
        initial={
            name: getattr(competition, name)
            for name in (
                "name",
                "name_en",
                "year",
                "level",
                "legal_basis",
                "participant_kinds",
                "max_entries_per_agency",
            )
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.competition_update(
                actor=request.user, competition=competition, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _saved(request, competition, "basics")
    return {"form": form}


def _step_groups(request, competition):
    forms_qs = ProposalForm.objects.filter(competition=competition)
    groups_initial = [
        {
            "id": g.pk,
            "name": g.name,
            "name_en": g.name_en,
            "form": g.form_id,
            "max_entries_per_agency": g.max_entries_per_agency,
        }
        for g in competition.groups.all()
    ]
    categories_initial = [
        {"id": c.pk, "name": c.name, "name_en": c.name_en} for c in competition.categories.all()
    ]
    data = request.POST or None
    groups = row_formset(GroupRowForm)(
        data, initial=groups_initial, prefix="groups", form_kwargs={"forms_qs": forms_qs}
    )
    categories = row_formset(NamedRowForm)(data, initial=categories_initial, prefix="categories")
    errors = []
    if request.method == "POST" and groups.is_valid() and categories.is_valid():
        try:
            services.competition_set_list(
                actor=request.user, competition=competition, kind="groups", rows=_rows(groups)
            )
            services.competition_set_list(
                actor=request.user,
                competition=competition,
                kind="categories",
                rows=_rows(categories),
            )
        except ValidationError as error:
            errors = error.messages
        else:
            return _saved(request, competition, "groups")
    return {"groups": groups, "categories": categories, "errors": errors, "forms": forms_qs}


def _step_timeline(request, competition):
    form = TimelineForm(request.POST or None, competition=competition)
    milestones = row_formset(MilestoneRowForm)(
        request.POST or None,
        prefix="milestones",
        initial=[
            {"id": m.pk, "name": m.name, "name_en": m.name_en, "date": m.date}
            for m in competition.milestones.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and milestones.is_valid():
        try:
            services.competition_update(
                actor=request.user, competition=competition, **form.values()
            )
            services.competition_set_list(
                actor=request.user,
                competition=competition,
                kind="milestones",
                rows=_rows(milestones),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _saved(request, competition, "timeline")
    return {"form": form, "milestones": milestones}


def _step_rules(request, competition):
    fields = list(RulesForm.base_fields)
    form = RulesForm(request.POST or None, initial={f: getattr(competition, f) for f in fields})
    checklist = row_formset(NamedRowForm)(
        request.POST or None,
        prefix="checklist",
        initial=[
            {"id": i.pk, "name": i.name, "name_en": i.name_en} for i in competition.checklist.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and checklist.is_valid():
        try:
            services.competition_update(
                actor=request.user, competition=competition, **form.cleaned_data
            )
            services.competition_set_list(
                actor=request.user, competition=competition, kind="checklist", rows=_rows(checklist)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _saved(request, competition, "rules")
    return {"form": form, "checklist": checklist}


def _step_forms(request, competition):
    forms = []
    for proposal_form in ProposalForm.objects.filter(competition=competition).prefetch_related(
        "versions"
    ):
        versions = list(proposal_form.versions.all())
        forms.append(
            {
                "form": proposal_form,
                "latest": versions[0],
                "versions": versions,
                "groups": [g for g in competition.groups.all() if g.form_id == proposal_form.pk],
            }
        )
    return {"forms": forms}


def _step_review(request, competition):
    return {
        "problems": services.competition_problems(competition)
        if competition.status == Competition.Status.SETUP
        else [],
        "eligible_count": services.eligible_agencies(competition).count(),
        "groups": competition.groups.select_related("form"),
        "milestones": competition.milestones.all(),
        "checklist": competition.checklist.all(),
    }


@login_required
@require_POST
def competition_open(request, pk):
    competition = competition_for(request, pk, "competitions.manage_competition")
    invited = report(
        request,
        lambda: services.competition_open(actor=request.user, competition=competition),
        lambda count: (
            ngettext(
                "The competition is open: %(count)d agency was invited.",
                "The competition is open: %(count)d agencies were invited.",
                count,
            )
            % {"count": count}
        ),
    )
    if invited is FAILED:
        return redirect("competitions:setup", pk=competition.pk, step="review")
    return redirect("competitions:entries", pk=competition.pk)


@login_required
@require_POST
def competition_start_screening(request, pk):
    competition = competition_for(request, pk, "competitions.manage_competition")
    if (
        report(
            request,
            lambda: services.competition_start_screening(
                actor=request.user, competition=competition
            ),
            _("Screening has started."),
        )
        is not FAILED
    ):
        return redirect("screening:list", pk=competition.pk)
    return redirect("competitions:detail", pk=competition.pk)


# --- Forms (versions, sections, questions) -------------------------------------------------------


def version_for(request, pk) -> FormVersion:
    version = get_object_or_404(
        FormVersion.objects.select_related("form__competition__region"), pk=pk
    )
    competition_for(request, version.form.competition_id, "competitions.manage_competition")
    return version


@login_required
def form_edit(request, pk):
    version = version_for(request, pk)
    from siwanda.proposals.selectors import Part

    sections = FormSection.objects.filter(version=version).prefetch_related("fields")
    return render(
        request,
        "competitions/form_edit.html",
        {
            "version": version,
            "competition": version.form.competition,
            "parts": [Part(section=s, items=list(s.fields.all())) for s in sections],
            "versions": version.form.versions.all(),
            "in_use": version.proposals.count(),
        },
    )


@login_required
def form_section(request, pk, section_pk=None):
    version = version_for(request, pk)
    section = get_object_or_404(FormSection, pk=section_pk, version=version) if section_pk else None
    initial = {f: getattr(section, f) for f in SectionForm.base_fields} if section else None
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.form_section_save(
                actor=request.user, version=version, section=section, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("competitions:form_edit", pk=version.pk)
    return render(
        request,
        "competitions/form_item.html",
        {
            "version": version,
            "competition": version.form.competition,
            "form": form,
            "title": _("Edit section") if section else _("Add a section"),
        },
    )


@login_required
def form_field(request, section_pk, field_pk=None):
    section = get_object_or_404(FormSection.objects.select_related("version"), pk=section_pk)
    version = version_for(request, section.version_id)
    field = get_object_or_404(FormField, pk=field_pk, section=section) if field_pk else None
    initial = None
    if field:
        initial = {f: getattr(field, f) for f in FieldForm.base_fields}
        initial["choices"] = FieldForm.choices_text(field.choices)
    form = FieldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.form_field_save(
                actor=request.user, section=section, field=field, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("competitions:form_edit", pk=version.pk)
    return render(
        request,
        "competitions/form_item.html",
        {
            "version": version,
            "competition": version.form.competition,
            "form": form,
            "title": _("Edit question")
            if field
            else _("Add a question to “%(section)s”") % {"section": section.name},
        },
    )


@login_required
@require_POST
def form_item_action(request, kind, pk, action):
    if kind not in ("section", "field") or action not in ("up", "down", "delete"):
        raise Http404
    model = FormSection if kind == "section" else FormField
    item = get_object_or_404(model, pk=pk)
    version_pk = item.version_id if kind == "section" else item.section.version_id
    version_for(request, version_pk)
    if action == "delete":
        report(
            request, lambda: services.form_item_delete(actor=request.user, item=item), _("Deleted.")
        )
    else:
        report(
            request,
            lambda: services.form_item_move(actor=request.user, item=item, up=action == "up"),
            _("Moved."),
        )
    return redirect("competitions:form_edit", pk=version_pk)


@login_required
@require_POST
def form_publish(request, pk):
    version = version_for(request, pk)
    report(
        request,
        lambda: services.form_version_publish(actor=request.user, version=version),
        _("Version %(number)d is published.") % {"number": version.number},
    )
    return redirect("competitions:form_edit", pk=version.pk)


@login_required
@require_POST
def form_new_version(request, pk):
    version = version_for(request, pk)
    new = services.form_version_new(actor=request.user, form=version.form)
    messages.success(
        request,
        _("Version %(number)d is a draft: change it, then publish it.") % {"number": new.number},
    )
    return redirect("competitions:form_edit", pk=new.pk)


# --- The call for entries ------------------------------------------------------------------------


STATUS_LABELS = {
    "nothing": gettext_lazy("Nothing yet"),
    "drafting": gettext_lazy("Drafting"),
    "awaiting_approval": gettext_lazy("Awaiting approval"),
    "submitted": gettext_lazy("Submitted"),
    "declined": gettext_lazy("Declined"),
}


@login_required
def competition_entries(request, pk):
    competition = competition_for(request, pk, "competitions.manage_competition")
    rows = []
    totals = dict.fromkeys(STATUS_LABELS, 0)
    for recipient in selectors.recipient_list(competition=competition):
        status = selectors.recipient_status(recipient)
        totals[status] += 1
        rows.append({"recipient": recipient, "status": status, "label": STATUS_LABELS[status]})
    wanted = request.GET.get("status", "")
    if wanted in STATUS_LABELS:
        rows = [row for row in rows if row["status"] == wanted]
    extension_form = ExtensionForm(competition=competition)
    return render(
        request,
        "competitions/entries.html",
        {
            "competition": competition,
            "rows": rows,
            "totals": totals,
            "labels": STATUS_LABELS,
            "wanted": wanted,
            "total": sum(totals.values()),
            "extension_form": extension_form,
            "extensions": competition.extensions.select_related("agency", "granted_by"),
        },
    )


@login_required
@require_POST
def competition_remind(request, pk):
    competition = competition_for(request, pk, "competitions.manage_competition")
    chosen = [int(a) for a in request.POST.getlist("agency") if a.isdigit()]
    report(
        request,
        lambda: services.competition_remind(
            actor=request.user, competition=competition, agency_ids=chosen or None
        ),
        lambda count: (
            ngettext(
                "Reminder sent to %(count)d agency.", "Reminder sent to %(count)d agencies.", count
            )
            % {"count": count}
        ),
    )
    return redirect("competitions:entries", pk=competition.pk)


@login_required
@require_POST
def competition_extend(request, pk):
    competition = competition_for(request, pk, "competitions.manage_competition")
    form = ExtensionForm(request.POST, competition=competition)
    return form_action(
        request,
        form,
        lambda data: services.extension_grant(
            actor=request.user,
            competition=competition,
            agency=data["agency"],
            until=form.until(),
            reason=data["reason"],
        ),
        _("Extension granted and the agency told."),
        reverse("competitions:entries", args=[competition.pk]) + "#extensions",
    )


@login_required
@require_POST
def competition_decline(request, pk, agency_pk):
    competition = competition_for(request, pk)
    recipient = get_object_or_404(CallRecipient, competition=competition, agency_id=agency_pk)
    return form_action(
        request,
        DeclineForm(request.POST),
        lambda data: services.recipient_decline(
            actor=request.user, recipient=recipient, reason=data["reason"]
        ),
        _("The secretariat knows your agency takes no part this year."),
        reverse("competitions:detail", args=[competition.pk]),
    )
