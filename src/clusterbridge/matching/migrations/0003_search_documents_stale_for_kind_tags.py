"""Search documents analysed before profiles carried their kind of organisation as a tag (kind:…) are
marked stale, so that the next refresh (a directory change, or `clusterbridge rebuild-search-index
--stale`) analyses them again; until then they keep serving as they are."""

import datetime

from django.db import migrations


def mark_stale(apps, schema_editor):
    apps.get_model("matching", "SearchDocument").objects.update(
        source_updated=datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc))


class Migration(migrations.Migration):
    dependencies = [("matching", "0002_searchdocument_encoder_searchdocument_vector")]
    operations = [migrations.RunPython(mark_stale, migrations.RunPython.noop)]
