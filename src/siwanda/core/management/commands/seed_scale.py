from django.core.management.base import BaseCommand, CommandError

from siwanda.core import scale


class Command(BaseCommand):
    help = (
        "Fill the database with national-size data: agencies in every region, 32,000 × N "
        "innovations (85 % published in the catalogue), a national competition of 3,500 × N "
        "proposals, each scored by five jurors on eight criteria. Refuses to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--multiplier",
            type=float,
            default=1.0,
            help="N: 1 for the 2024 volume, 10 for ten times",
        )
        parser.add_argument("--seed", type=int, default=scale.DEFAULT_SEED, help="random seed")
        parser.add_argument(
            "--innovations", type=int, help="number of innovations (overrides the multiplier)"
        )
        parser.add_argument(
            "--proposals", type=int, help="proposals in the national competition (overrides it)"
        )
        parser.add_argument("--panel", type=int, help="jurors on the national desk stage")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing (and succeed) when the database was already seeded.",
        )

    def handle(self, *args, **options):
        if options["multiplier"] <= 0:
            raise CommandError("--multiplier must be positive.")
        sizes = scale.Sizes.of(
            options["multiplier"], options["innovations"], options["proposals"], options["panel"]
        )
        if sizes.panel < sizes.jurors_per_proposal:
            raise CommandError(f"--panel must be at least {sizes.jurors_per_proposal}.")
        if options["if_missing"] and scale.already_seeded():
            self.stdout.write("seed_scale: this database is already seeded; nothing to do.")
            return
        self.stdout.write(
            f"seed_scale: {sizes.innovations} innovations, national competition of"
            f" {sizes.proposals} proposals × {sizes.jurors_per_proposal} jurors ×"
            f" {sizes.criteria} criteria, panel of {sizes.panel}; seed {options['seed']}"
        )
        try:
            summary = scale.seed_scale(
                sizes, seed=options["seed"], out=lambda line: self.stdout.write(line)
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        published = summary["published"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded in {summary['seconds']:.0f} s: {summary['regions']} regions,"
                f" {summary['agencies']} agencies, {summary['innovations']} innovations"
                f" ({summary['replications']} replications, {summary['awards']} awards,"
                f" {'none' if published is None else published} published),"
                f" {summary['proposals']} proposals, {summary['sheets']} sheets,"
                f" {summary['scores']} scores."
            )
        )
