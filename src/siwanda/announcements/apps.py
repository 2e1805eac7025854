from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    name = "siwanda.announcements"
    verbose_name = _("announcements and guides")
