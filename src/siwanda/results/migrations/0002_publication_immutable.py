"""Published results never change, in the database itself: a correction is a new publication."""

from django.db import migrations

from siwanda.core.triggers import refuse_updates


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]
    operations = [refuse_updates("results_publication", "published results are immutable")]
