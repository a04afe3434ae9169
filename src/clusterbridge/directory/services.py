"""Writes of the directory; each one transaction."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterbridge.accounts.rules import is_officer
from clusterbridge.core.jobs import JobFailed, job_enqueue, job_kind

from .exchange import parse_organisation_file
from .models import Contact, Ecosystem, Organisation, Sector, Technology
from .technologies import TechnologyMatcher, split_terms
from .selectors import sector_codes

DATA = Path(__file__).resolve().parent / "data"
IMPORTED_FIELDS = ["name_en", "name_zh", "kind", "country", "city", "website", "technologies",
                   "description_en", "description_zh", "offers", "requests"]


@transaction.atomic
def sectors_load() -> int:
    """Load the shipped NACE Rev. 2 (all 996 entries; idempotent). The file
    lists every parent before its children."""
    with open(DATA / "nace-rev2.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = {s.code: s for s in Sector.objects.all()}
    by_code: dict[str, Sector] = dict(existing)
    for level in ("section", "division", "group", "class"):  # parents get their ids first
        new, changed = [], []
        for row in (r for r in rows if r["level"] == level):
            parent = by_code[row["parent"]] if row["parent"] else None
            fields = {"level": level, "label_en": row["label_en"], "label_zh": row["label_zh"],
                      "synonyms": row["synonyms"], "parent_id": parent.id if parent else None,
                      "section": parent.section if parent else row["code"]}
            sector = existing.get(row["code"])
            if sector is None:
                new.append(Sector(code=row["code"], **fields))
            elif any(getattr(sector, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(sector, k, v)
                changed.append(sector)
        for sector in Sector.objects.bulk_create(new, batch_size=500):
            by_code[sector.code] = sector
        Sector.objects.bulk_update(changed, ["level", "label_en", "label_zh", "synonyms", "parent", "section"],
                                   batch_size=500)
    return len(rows)


@transaction.atomic
def ecosystems_load() -> int:
    """Load the shipped 14 industrial ecosystems (idempotent)."""
    with open(DATA / "industrial-ecosystems.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        Ecosystem.objects.update_or_create(code=row["code"], defaults={
            "label_en": row["label_en"], "label_zh": row["label_zh"], "synonyms": row["synonyms"]})
    return len(rows)


@transaction.atomic
def technologies_load() -> int:
    """Load the shipped technology list (idempotent) and re-file every
    organisation under it."""
    with open(DATA / "technologies.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        Technology.objects.update_or_create(code=row["code"], defaults={
            "label_en": row["label_en"], "label_zh": row["label_zh"], "synonyms": row["synonyms"]})
    ids = list(Organisation.objects.exclude(technologies="").values_list("id", flat=True))
    matcher = technology_matcher()
    for start in range(0, len(ids), 2000):
        technology_tags_set(Organisation.objects.filter(id__in=ids[start:start + 2000]).only("id", "technologies"),
                            matcher)
    transaction.on_commit(directory_changed)
    return len(rows)


def technology_matcher() -> TechnologyMatcher:
    return TechnologyMatcher.build({t.code: t.names() for t in Technology.objects.all()})


def technology_tags_set(organisations, matcher: TechnologyMatcher | None = None) -> None:
    """File the organisations under the list entries their technology terms
    mention (replacing what was there). Part of the caller's transaction."""
    matcher = matcher or technology_matcher()
    ids = {t.code: t.id for t in Technology.objects.all()}
    orgs = list(organisations)
    through = Organisation.technology_tags.through
    through.objects.filter(organisation_id__in=[o.id for o in orgs]).delete()
    through.objects.bulk_create([through(organisation_id=o.id, technology_id=ids[c])
                                 for o in orgs for c in matcher.codes(split_terms(o.technologies))],
                                batch_size=2000)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] | None = None
    dry_run: bool = False
    # Per updated organisation, what the file changes: {"row", "external_id", "fields": [[name, old, new]]}.
    changes: list[dict] | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def organisations_import(*, data: bytes, filename: str, dry_run: bool = False,
                         progress=None) -> ImportResult:
    """Import an organisation file (specs/directory-exchange.md).

    All or nothing: when any row has an error, nothing is written and every
    error is returned as `row N, column C: problem`. A row whose external_id
    exists updates that organisation instead of adding another: the columns the file has are
    written (an empty cell clears its field), the ones it lacks are left as they are. `changes`
    says, per updated organisation, which fields change, old → new (a dry run's preview).
    """
    parsed = parse_organisation_file(data, filename, sector_codes(),
                                     set(Ecosystem.objects.values_list("code", flat=True)))
    if parsed.errors:
        return ImportResult(errors=parsed.errors, dry_run=dry_run)
    # One pass over the ids (not an IN list of the whole file: 100,000 parameters).
    in_file = {r["external_id"] for r in parsed.rows}
    existing = {eid for eid in Organisation.objects.values_list("external_id", flat=True).iterator(chunk_size=10_000)
                if eid in in_file}
    fields = [f for f in IMPORTED_FIELDS if f in parsed.columns]
    result = ImportResult(created=sum(1 for r in parsed.rows if r["external_id"] not in existing),
                          updated=len(existing), errors=[], dry_run=dry_run,
                          changes=_changes([r for r in parsed.rows if r["external_id"] in existing], fields))
    if dry_run:
        return result
    _write_rows(parsed.rows, existing, fields, progress)
    transaction.on_commit(directory_changed)
    return result


def _changes(rows: list[dict], fields: list[str]) -> list[dict]:
    """Old → new of every field the rows change, sectors and ecosystems as code lists."""
    by_id = {r["external_id"]: r for r in rows}
    out = []
    for start in range(0, len(rows), 2000):
        chunk = [r["external_id"] for r in rows[start:start + 2000]]
        for org in Organisation.objects.filter(external_id__in=chunk).prefetch_related("sectors", "ecosystems"):
            row = by_id[org.external_id]
            changed = [[f, getattr(org, f) or "", row[f]] for f in fields if (getattr(org, f) or "") != row[f]]
            for name, key, related in (("sectors", "sector_codes", org.sectors),
                                       ("ecosystems", "ecosystem_codes", org.ecosystems)):
                if row.get(key) is not None:
                    old, new = sorted(x.code for x in related.all()), sorted(dict.fromkeys(row[key]))
                    if old != new:
                        changed.append([name, "; ".join(old), "; ".join(new)])
            if changed:
                out.append({"row": row["_row"], "external_id": org.external_id, "fields": changed})
    return sorted(out, key=lambda c: c["row"])


@transaction.atomic
def _write_rows(rows: list[dict], existing: set[str], fields: list[str], progress=None) -> None:
    sectors = {s.code: s.id for s in Sector.objects.all()}
    ecosystems = {e.code: e.id for e in Ecosystem.objects.all()}
    matcher = technology_matcher()
    now = timezone.now()
    batch = 2000
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        new = [Organisation(external_id=r["external_id"], **{f: r[f] for f in IMPORTED_FIELDS})
               for r in chunk if r["external_id"] not in existing]
        for org in new:
            # Rows are validated by the parser; the database constraints still hold.
            org.full_clean(exclude=["sectors"], validate_unique=False, validate_constraints=False)
            org.refresh_search_text()
        Organisation.objects.bulk_create(new, batch_size=1000)
        updates = {r["external_id"]: r for r in chunk if r["external_id"] in existing}
        if updates:
            orgs = list(Organisation.objects.filter(external_id__in=list(updates)))
            for org in orgs:
                for f in fields:  # only the columns the file has
                    setattr(org, f, updates[org.external_id][f])
                org.refresh_search_text()
                org.updated_at = now  # bulk_update does not touch auto_now fields; search follows this date
            Organisation.objects.bulk_update(orgs, [*fields, "search_text", "updated_at"], batch_size=1000)
        ids = dict(Organisation.objects.filter(external_id__in=[r["external_id"] for r in chunk])
                   .values_list("external_id", "id"))
        through = Organisation.sectors.through
        with_sectors = [r for r in chunk if r.get("sector_codes") is not None]
        through.objects.filter(organisation_id__in=[ids[r["external_id"]] for r in with_sectors]).delete()
        through.objects.bulk_create(
            [through(organisation_id=ids[r["external_id"]], sector_id=sectors[c])
             for r in with_sectors for c in dict.fromkeys(r["sector_codes"])], batch_size=2000)
        eco_through = Organisation.ecosystems.through
        with_ecosystems = [r for r in chunk if r.get("ecosystem_codes") is not None]
        eco_through.objects.filter(organisation_id__in=[ids[r["external_id"]] for r in with_ecosystems]).delete()
        eco_through.objects.bulk_create(
            [eco_through(organisation_id=ids[r["external_id"]], ecosystem_id=ecosystems[c])
             for r in with_ecosystems for c in dict.fromkeys(r["ecosystem_codes"])], batch_size=2000)
        technology_tags_set(Organisation.objects.filter(id__in=list(ids.values())).only("id", "technologies"),
                            matcher)
        if progress:
            progress(min(len(rows), start + batch), len(rows))


@transaction.atomic
def organisation_update(*, organisation: Organisation, data: dict, sector_codes_: list[str] | None = None,
                        ecosystem_codes: list[str] | None = None, contacts: list[dict] | None = None,
                        logo=None) -> Organisation:
    """Edit a profile, its lists, contacts and logo in one transaction; validates before saving.
    `contacts`: rows {id (absent for a new one), name, role, email, phone, public, delete};
    `logo`: a file (see logos.py), "" to remove it, None to leave it."""
    for field, value in data.items():
        setattr(organisation, field, value)
    if logo == "":
        organisation.logo.delete(save=False)
        organisation.logo = ""
    elif logo is not None:
        organisation.logo.delete(save=False)
        organisation.logo.save(logo.name, logo, save=False)
    organisation.full_clean(exclude=["sectors", "ecosystems"])
    organisation.save()
    if sector_codes_ is not None:
        organisation.sectors.set(Sector.objects.filter(code__in=sector_codes_))
    if ecosystem_codes is not None:
        organisation.ecosystems.set(Ecosystem.objects.filter(code__in=ecosystem_codes))
    if contacts is not None:
        contacts_save(organisation=organisation, rows=contacts)
    technology_tags_set([organisation])
    transaction.on_commit(directory_changed)
    return organisation


def contacts_save(*, organisation: Organisation, rows: list[dict]) -> None:
    """Contacts as the editor left them. Shown publicly only with the person's consent, whose date is
    kept (a contact made private again keeps the record of the consent once given)."""
    from django.utils import timezone

    existing = {c.pk: c for c in organisation.contacts.all()}
    for n, row in enumerate(rows, 1):
        contact = existing.get(row.get("id")) if row.get("id") else None
        if row.get("delete"):
            if contact is not None:
                contact.delete()
            continue
        if not any(row.get(k) for k in ("name", "role", "email", "phone")):
            continue
        contact = contact or Contact(organisation=organisation)
        for field in ("name", "role", "email", "phone"):
            setattr(contact, field, (row.get(field) or "").strip())
        contact.public = bool(row.get("public"))
        if contact.public and contact.consent_at is None:
            contact.consent_at = timezone.now()
        try:
            contact.full_clean()
        except ValidationError as error:
            raise ValidationError({f"contact {n}": error.messages}) from None
        contact.save()


def directory_changed() -> None:
    """Invalidate every cached count and chart of the directory, and every
    process's in-memory index: a new random version (a counter could come
    back to a value a process still holds after the cache is emptied)."""
    from clusterbridge.core.cache import shared_version_bump

    from .selectors import VERSION_KEY
    from .signals import directory_changed as changed

    shared_version_bump(VERSION_KEY)
    changed.send(sender=Organisation)


IMPORT_JOB = "directory.import"


def import_job_create(*, data: bytes, filename: str, dry_run: bool, user=None):
    """Stores the upload as a background job; its import runs once this transaction commits."""
    return job_enqueue(kind=IMPORT_JOB, by=user, data=data, filename=filename, params={"dry_run": dry_run})


@job_kind(IMPORT_JOB, label=_("Organisation import"), visible_to=lambda user, job: is_officer(user))
def import_job_run(job, context) -> dict:
    """Imports the job's file with progress; the import itself stays all-or-nothing, and a stop
    rolls it back."""

    def progress(done: int, total: int) -> None:
        context.progress(done, total)
        context.raise_if_stopped()

    result = organisations_import(data=bytes(job.data), filename=job.filename, dry_run=job.params.get("dry_run", False),
                                  progress=progress)
    outcome = {"created": result.created, "updated": result.updated, "dry_run": result.dry_run,
               "changes": (result.changes or [])[:500], "changes_total": len(result.changes or [])}
    if not result.ok:
        raise JobFailed(result.errors, outcome)
    context.progress(result.created + result.updated, result.created + result.updated)
    return outcome
