"""Findings are stored as codes with parameters and worded when shown, in the reader's language."""

from django.utils.translation import gettext as _


def finding_text(finding: dict) -> str:
    p = finding.get("params", {})
    code = finding["code"]
    texts = {
        "missing_answer": lambda: _("Not answered yet."),
        "missing_file": lambda: _("The file is missing."),
        "over_word_limit": lambda: _("%(words)d words: more than the limit of %(limit)d.") % p,
        "under_min_words": lambda: _("%(words)d words: fewer than the %(minimum)d required.") % p,
        "too_short": lambda: _("Only %(words)d words: is this a meaningful answer?") % p,
        "video_too_long": lambda: (
            _("The video lasts %(seconds)d seconds; at most %(limit)d are allowed.") % p
        ),
        "no_sdg": lambda: _("No SDG goal is chosen: at least one is required."),
        "no_implementation_date": lambda: _("The date implementation started is missing."),
        "too_young": lambda: (
            _(
                "Implemented for %(months)d months before the deadline; at least "
                "%(minimum)d are required."
            )
            % p
        ),
        "previous_winner": lambda: _("Already won a top award at this level: %(award)s.") % p,
        "similar_title": lambda: (
            (
                _(
                    "Title nearly identical (%(percent)d%%) to “%(title)s” of %(agency)s in this "
                    "competition."
                )
                if p.get("same_competition")
                else _(
                    "Title nearly identical (%(percent)d%%) to “%(title)s” of %(agency)s, %(year)d."
                )
            )
            % {**p, "percent": round(float(p.get("similarity", 0)) * 100)}
        ),
    }
    text = texts[code]() if code in texts else code
    if finding.get("label"):
        return f"{finding['label']}: {text}"
    return text
