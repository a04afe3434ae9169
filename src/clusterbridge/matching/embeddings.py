"""Optional dense embeddings: a small encoder interface.

Off by default. Set CLUSTERBRIDGE_ENCODER_PATH to the folder of a
sentence-transformers model that is already on disk (nothing is ever
downloaded: the model is loaded with local files only), and install
`sentence-transformers`; profiles then get a vector each, stored with their
search document, and search blends the cosine similarity of query and
profile into the BM25 ranking (and finds profiles that share no word or
concept with the query when the similarity is high).
"""

from __future__ import annotations

import os
import threading
from typing import Protocol

import numpy as np

# How much the dense similarity weighs against the (normalised) BM25 score,
# from what similarity it counts, and from what similarity alone it matches.
DENSE_WEIGHT = 0.5
DENSE_FLOOR = 0.3
DENSE_MATCH = 0.55


class Encoder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""


class SentenceTransformerEncoder:
    def __init__(self, path: str):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never fetch anything
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.name = os.path.basename(os.path.normpath(path))
        self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(texts, batch_size=64, normalize_embeddings=True,
                                         convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


_ENCODER: dict[str, Encoder | None] = {}


def configured_encoder() -> Encoder | None:
    """The encoder the settings name, loaded once per process; None when off."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    path = getattr(settings, "MATCHING_ENCODER_PATH", "")
    if not path:
        return None
    if path not in _ENCODER:
        if not os.path.isdir(path):
            raise ImproperlyConfigured(f"CLUSTERBRIDGE_ENCODER_PATH: {path} is not a folder with a model")
        try:
            _ENCODER[path] = SentenceTransformerEncoder(path)
        except ImportError as exc:
            raise ImproperlyConfigured("CLUSTERBRIDGE_ENCODER_PATH is set but sentence-transformers is not "
                                       "installed (pip install sentence-transformers)") from exc
    return _ENCODER[path]


def profile_text(texts: dict[str, str], limit: int = 1000) -> str:
    """What is embedded of a profile: name, technologies, offers, requests, description."""
    parts = [texts.get(f, "") for f in ("name", "technologies", "offers", "requests", "description")]
    return " \n".join(p.strip() for p in parts if p and p.strip())[:limit]


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes | memoryview | None, dim: int) -> np.ndarray:
    if not data:
        return np.zeros(dim, dtype=np.float32)
    return np.frombuffer(bytes(data), dtype=np.float32)


def blend(lexical: np.ndarray, dense: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(scores, dense-only matches): BM25 scaled to 0..1 plus the weighted
    similarity above the floor."""
    top = float(lexical.max()) if lexical.size else 0.0
    scaled = lexical / top if top > 0 else lexical
    extra = np.clip((dense - DENSE_FLOOR) / (1 - DENSE_FLOOR), 0, None)
    return scaled + DENSE_WEIGHT * extra, dense >= DENSE_MATCH
