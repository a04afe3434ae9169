from django.core.management.base import BaseCommand

from clusterbridge.directory.services import ecosystems_load, sectors_load, technologies_load


class Command(BaseCommand):
    help = "Load (or refresh) the shipped NACE Rev. 2, industrial ecosystems and technology list."

    def handle(self, *args, **options):
        sectors, ecosystems, technologies = sectors_load(), ecosystems_load(), technologies_load()
        self.stdout.write(f"{sectors} NACE Rev. 2 entries, {ecosystems} industrial ecosystems, "
                          f"{technologies} technologies loaded")
