"""clusterbridge verify-ledger: walk every case's chain; exit 1 and name the first break of each
case when the ledger was changed outside ClusterBridge."""

import sys

from django.core.management.base import BaseCommand

from clusterbridge.offsets.verification import ledger_verify


class Command(BaseCommand):
    help = "Verify the credit ledger's chain of entries; exit 1 when an entry was added, changed or removed."

    def handle(self, *args, **options):
        check = ledger_verify()
        for b in check.breaks:
            self.stdout.write(f"case {check.numbers.get(b.case_id, b.case_id)}, entry {b.seq}: {b.problem}")
        if check.breaks:
            self.stdout.write(f"{len(check.breaks)} case(s) of {check.cases} broken; {check.entries} entries read")
            sys.exit(1)
        self.stdout.write(f"ledger intact: {check.entries} entries of {check.cases} cases verified")
