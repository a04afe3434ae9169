"""Kinds of organisation in partner search. A profile carries its directory kind as a tag
(`kind:research_institute`), so that a query naming a kind (公協會, "research centre") finds every
organisation of that kind, whether or not its text says so; and a query naming a kind and a topic
(紡織 公會, "semiconductor research institute") keeps to that kind."""

from __future__ import annotations

# The directory's kinds and the glossary's concepts that name them (the "institutions" domain).
KIND_CONCEPTS = {"cluster_organisation": "cluster_organisation", "industry_association": "industry_association",
                 "company": "company", "university": "university", "research_centre": "research_institute",
                 "public_agency": "government_agency"}
# Naming these keeps a search to the kind; "company" (manufacturer, firm) is too often part of the topic
# ("battery manufacturers" wants associations of them too), so it only ranks companies first.
FILTERING = frozenset(KIND_CONCEPTS.values()) - {"company"}
KIND_BONUS = 0.5  # of the best score: organisations of the kind named come first
# Kinds that answer for each other after the kind named: Europe's cluster organisations are often
# associations and Taiwan's associations run its clusters; universities do much of the research.
KIN = {"research_institute": ("university",), "university": ("research_institute",),
       "industry_association": ("cluster_organisation",), "cluster_organisation": ("industry_association",)}


def kind_tag(kind: str) -> str | None:
    concept = KIND_CONCEPTS.get(kind)
    return f"kind:{concept}" if concept else None
