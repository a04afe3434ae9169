from django.db import migrations

LISTS = [
    ("weekly-digest", "digest", "Weekly digest", "每週摘要",
     "Everything published on ClusterBridge in the week: news, calls, events, success stories.",
     "ClusterBridge 一週內發布的所有內容：新聞、徵求、活動與成功案例。"),
    ("icp-newsletter", "issues", "ICP newsletter", "工業合作計畫電子報",
     "The Industrial Cooperation Programme office's newsletter, twice a year.",
     "工業合作計畫辦公室電子報，每年兩期。"),
]


def add(apps, schema_editor):
    MailingList = apps.get_model("publishing", "MailingList")
    for slug, kind, name_en, name_zh, text_en, text_zh in LISTS:
        MailingList.objects.get_or_create(slug=slug, defaults={
            "kind": kind, "name_en": name_en, "name_zh": name_zh, "description_en": text_en,
            "description_zh": text_zh})


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
