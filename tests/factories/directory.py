from clusterbridge.directory.models import Organisation, Sector
from clusterbridge.directory.services import directory_changed, technology_tags_set


def make_org(external_id="fr-0001", *, sectors=(), **fields) -> Organisation:
    defaults = {"name_en": f"Org {external_id}", "kind": "cluster_organisation", "country": "FR", "city": "Lyon"}
    defaults.update(fields)
    org = Organisation.objects.create(external_id=external_id, **defaults)
    if sectors:
        org.sectors.set(Sector.objects.filter(code__in=sectors))
    if org.technologies:
        technology_tags_set([org])
    directory_changed()
    return org
