from django.db import migrations

from siwanda.innovations.loader import load_sdgs


def forwards(apps, schema_editor):
    load_sdgs(apps.get_model("innovations", "Sdg"))


class Migration(migrations.Migration):
    dependencies = [("innovations", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
