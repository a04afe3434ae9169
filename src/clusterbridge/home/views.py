"""The home page: what is happening on the platform, in the visitor's language. It only composes
reads of the domain apps (it owns no data), so it sits above them all."""

from django.shortcuts import render

from clusterbridge.directory import selectors as directory
from clusterbridge.directory.cooperation import cooperation_board
from clusterbridge.events import selectors as events

UPCOMING = 4
LATEST = 6


def home(request):
    return render(request, "home/home.html", {
        "charts": directory.directory_charts(),
        "events": list(events.events_listed(upcoming=True)[:UPCOMING]),
        "board": list(cooperation_board()[:LATEST]),
    })
