"""Fill zh-Hant translations into the catalogue: python tools/po_fill.py < pairs.tsv

Each input line: msgid<TAB>translation (plural: msgid<TAB>singular<TAB>plural).
Clears the fuzzy flag of what it fills. A maintenance helper, not used at run time."""

import sys

import polib

PO = "src/clusterbridge/locale/zh_Hant/LC_MESSAGES/django.po"

po = polib.pofile(PO)
wanted = {}
for line in sys.stdin:
    if line.strip():
        parts = line.rstrip("\n").split("\t")
        wanted[parts[0]] = parts[1:]
for entry in po:
    if entry.msgid in wanted:
        got = wanted.pop(entry.msgid)
        if entry.msgid_plural:
            entry.msgstr_plural = {0: got[-1]}
        else:
            entry.msgstr = got[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
po.save(PO)
missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
print("unknown msgids:", list(wanted)) if wanted else None
print("still untranslated:", missing) if missing else print("catalogue complete")
