"""Mention detection: find the people, characters and shows a story names."""

from .matcher import Ambiguity, Entry, FindResult, Link, Matcher, Mention, Misspelling

__all__ = ["Ambiguity", "Entry", "FindResult", "Link", "Matcher", "Mention", "Misspelling"]
