"""Genres: the ways the documents lay out measures, each a registered unit (see `base`).

Built in, in the default order of `policykg_measures` (pipeline.GENRES):
    policykg.catalogue.v1   catalogue tables of suspended provisions
    policykg.table.v1       responsibility tables of any column set
    policykg.prose.v1       numbered prose, headed paragraphs, organise-style paragraphs
"""
from policykg.extractors.genres import prose, tables  # noqa: F401  (registers them)
from policykg.extractors.genres.base import Context, Draft, Genre, genres, load_genres, read_measures

__all__ = ["Context", "Draft", "Genre", "genres", "load_genres", "read_measures"]
