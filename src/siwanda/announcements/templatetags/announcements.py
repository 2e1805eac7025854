"""The announcements shown on other apps' pages: the home page's latest and a competition's
guides and schedules. Each costs one query, however many announcements there are."""

from django import template

from siwanda.announcements import selectors

register = template.Library()


@register.inclusion_tag("announcements/_latest.html", takes_context=True)
def latest_announcements(context):
    return {"announcements": selectors.announcements_latest_for(context["user"])}


@register.inclusion_tag("announcements/_competition_guides.html", takes_context=True)
def competition_guides(context, competition):
    user = context["user"]
    return {
        "competition": competition,
        "announcements": list(selectors.competition_announcements(competition)),
        "can_post": user.has_perm("announcements.add_announcement", competition.region),
    }
