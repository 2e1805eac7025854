from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationsConfig(AppConfig):
    name = "siwanda.innovations"
    verbose_name = _("innovations")
