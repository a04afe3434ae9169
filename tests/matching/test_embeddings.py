"""The optional dense embeddings, through the encoder interface."""

import zlib

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured

from clusterbridge.directory.selectors import DirectoryFilters
from clusterbridge.matching import embeddings, selectors, services
from clusterbridge.matching.models import SearchDocument
from tests.factories.directory import make_org


class LetterEncoder:
    """A test encoder: letter-trigram counts, hashed and normalised, so that
    'gearboxes' and 'gearbox repairs' are close without sharing a word form."""

    name = "letters"

    def encode(self, texts):
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, text in enumerate(texts):
            t = text.lower()
            for j in range(len(t) - 2):
                out[i, zlib.crc32(t[j:j + 3].encode()) % 64] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def test_off_by_default_and_clear_when_misconfigured(settings, tmp_path):
    assert embeddings.configured_encoder() is None
    settings.MATCHING_ENCODER_PATH = str(tmp_path / "missing")
    with pytest.raises(ImproperlyConfigured, match="is not a folder with a model"):
        embeddings.configured_encoder()


def test_vectors_are_stored_and_blended_into_the_ranking(sectors, monkeypatch):
    encoder = LetterEncoder()
    monkeypatch.setattr(services, "configured_encoder", lambda: encoder)
    monkeypatch.setattr(selectors, "configured_encoder", lambda: encoder)
    make_org("de-1", name_en="Gearboxworks", description_en="gearboxworks")
    make_org("fr-1", name_en="Lyon Textiles", description_en="fabrics")
    services.search_documents_refresh(everything=True)
    doc = SearchDocument.objects.get(organisation__external_id="de-1")
    assert doc.encoder == "letters" and len(bytes(doc.vector)) == 64 * 4
    # No word or concept in common, but close in the (toy) encoder's space.
    monkeypatch.setattr(embeddings, "DENSE_MATCH", 0.4)
    page = selectors.organisation_search(q="gearboxes", filters=DirectoryFilters(), language="en")
    assert page.corrected is None
    assert [(f.organisation.external_id, f.explanation) for f in page.items] == [("de-1", [])]
    monkeypatch.setattr(selectors, "configured_encoder", lambda: None)
    services.search_changed()
    assert selectors.organisation_search(q="gearboxes", filters=DirectoryFilters()).items == []


def test_blend_scales_bm25_and_counts_similarity_above_the_floor():
    scores, close = embeddings.blend(np.array([4.0, 2.0, 0.0]), np.array([0.2, 0.3, 0.9]))
    assert scores[0] == pytest.approx(1.0) and scores[1] == pytest.approx(0.5)
    assert scores[2] == pytest.approx(embeddings.DENSE_WEIGHT * (0.9 - 0.3) / 0.7)
    assert close.tolist() == [False, False, True]
