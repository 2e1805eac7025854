from django.core.management.base import BaseCommand

from siwanda.regions.loader import load_regions
from siwanda.regions.models import Region


class Command(BaseCommand):
    help = "Create or update the region tree from regions/data/regions.csv (idempotent)."

    def handle(self, *args, **options):
        created, updated = load_regions(Region)
        self.stdout.write(f"Regions: {created} created, {updated} updated.")
