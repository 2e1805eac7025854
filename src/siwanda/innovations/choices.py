"""Fixed vocabularies of the registry, from the law (PP 38/2017, UU 23/2014) and the UN SDGs.

These change only when the law changes, so they are code; what changes each year (forms, rules)
is data owned by a competition.
"""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class Form(models.TextChoices):
    GOVERNANCE = "governance", _("Governance (tata kelola pemerintahan)")
    PUBLIC_SERVICE = "public_service", _("Public service (pelayanan publik)")
    OTHER = "other", _("Other regional innovation within a government affair")


class Initiator(models.TextChoices):
    REGIONAL_HEAD = "regional_head", _("Regional head (kepala daerah)")
    DPRD = "dprd", _("Member of the regional parliament (DPRD)")
    CIVIL_SERVANT = "civil_servant", _("Civil servant (ASN)")
    AGENCY = "agency", _("Agency (perangkat daerah)")
    PUBLIC = "public", _("Member of the public (masyarakat)")


class Stage(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative (inisiatif)")
    TRIAL = "trial", _("Trial (uji coba)")
    IMPLEMENTATION = "implementation", _("Implementation (penerapan)")


class Urusan(models.TextChoices):
    """Government affairs of a region (UU 23/2014), and the supporting functions."""

    # Mandatory, basic services
    EDUCATION = "pendidikan", _("Education")
    HEALTH = "kesehatan", _("Health")
    PUBLIC_WORKS = "pupr", _("Public works and spatial planning")
    HOUSING = "perumahan", _("Housing and settlements")
    PUBLIC_ORDER = "trantibum", _("Public order and community protection")
    SOCIAL = "sosial", _("Social affairs")
    # Mandatory, not basic services
    LABOUR = "tenaga_kerja", _("Labour")
    WOMEN_CHILDREN = "pppa", _("Women's empowerment and child protection")
    FOOD = "pangan", _("Food")
    LAND = "pertanahan", _("Land")
    ENVIRONMENT = "lingkungan_hidup", _("Environment")
    POPULATION_REGISTRY = "adminduk", _("Population registry and civil records")
    VILLAGES = "pmd", _("Community and village empowerment")
    FAMILY_PLANNING = "kb", _("Population control and family planning")
    TRANSPORT = "perhubungan", _("Transport")
    ICT = "kominfo", _("Communication and informatics")
    COOPERATIVES = "koperasi_ukm", _("Cooperatives and small businesses")
    INVESTMENT = "penanaman_modal", _("Investment")
    YOUTH_SPORTS = "pemuda_olahraga", _("Youth and sports")
    STATISTICS = "statistik", _("Statistics")
    CRYPTOGRAPHY = "persandian", _("Cryptography")
    CULTURE = "kebudayaan", _("Culture")
    LIBRARIES = "perpustakaan", _("Libraries")
    ARCHIVES = "kearsipan", _("Archives")
    # Optional
    FISHERIES = "kelautan_perikanan", _("Marine affairs and fisheries")
    TOURISM = "pariwisata", _("Tourism")
    AGRICULTURE = "pertanian", _("Agriculture")
    FORESTRY = "kehutanan", _("Forestry")
    ENERGY = "esdm", _("Energy and mineral resources")
    TRADE = "perdagangan", _("Trade")
    INDUSTRY = "perindustrian", _("Industry")
    TRANSMIGRATION = "transmigrasi", _("Transmigration")
    # Supporting functions (for governance innovations)
    PLANNING = "perencanaan", _("Planning")
    FINANCE = "keuangan", _("Finance")
    STAFFING = "kepegawaian", _("Civil service management")
    RESEARCH = "litbang", _("Research and development")
    GENERAL_GOVERNMENT = "pemerintahan_umum", _("General government")


class EvidenceKind(models.TextChoices):
    REGULATION = "regulation", _("Regulation or decree behind the innovation")
    INNOVATOR_DECREE = "innovator_decree", _("Decree naming the innovators")
    REPORT = "report", _("Evaluation or monitoring report")
    BUDGET = "budget", _("Budget document")
    SOP = "sop", _("Manual or SOP")
    PHOTO = "photo", _("Photo")
    DATA = "data", _("Data before and after")
    REPLICATION = "replication", _("Replication statement")
    OTHER = "other", _("Other")


SDGS = {
    1: _("No poverty"),
    2: _("Zero hunger"),
    3: _("Good health and well-being"),
    4: _("Quality education"),
    5: _("Gender equality"),
    6: _("Clean water and sanitation"),
    7: _("Affordable and clean energy"),
    8: _("Decent work and economic growth"),
    9: _("Industry, innovation and infrastructure"),
    10: _("Reduced inequalities"),
    11: _("Sustainable cities and communities"),
    12: _("Responsible consumption and production"),
    13: _("Climate action"),
    14: _("Life below water"),
    15: _("Life on land"),
    16: _("Peace, justice and strong institutions"),
    17: _("Partnerships for the goals"),
}
SDG_CHOICES = [(number, format_lazy("{}. {}", number, label)) for number, label in SDGS.items()]
