from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "clusterbridge.matching"
    label = "matching"

    def ready(self) -> None:
        from clusterbridge.core.jobs import job_enqueue
        from clusterbridge.directory.search_hooks import PartnerSearch, partner_search_register
        from clusterbridge.directory.signals import directory_changed

        from . import selectors
        from .services import REFRESH_JOB

        # Every committed write to the directory (saves, imports, bulk loads) sends
        # directory_changed; the search documents that are out of date are then analysed
        # again in the background (one waiting job covers every change made meanwhile).
        def follow(**kwargs):
            job_enqueue(kind=REFRESH_JOB, unless_waiting=True)

        directory_changed.connect(follow, dispatch_uid="matching-follows-directory")

        # The directory's pages and counts use partner search through its hooks.
        partner_search_register(PartnerSearch(
            matching_ids=selectors.matching_ids, version=selectors.search_version,
            ranked_page=lambda *, q, filters, offset, limit, snippets: selectors.organisation_search(
                q=q, filters=filters, offset=offset, limit=limit, snippets=snippets),
            cooperation_search=lambda *, q, kind: selectors.cooperation_search(q=q, kind=kind),
            partners=lambda organisation, limit: selectors.recommendations(organisation=organisation, limit=limit),
            similar=lambda organisation, limit: selectors.similar_organisations(organisation=organisation,
                                                                                limit=limit)))
