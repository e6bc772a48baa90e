"""Marks the views whose anonymous responses may be cached whole and shared.

The project's page cache (``newsroom.pagecache``) serves and stores only views
marked here; everything else — the admin, previews, anything with a form — is
never cached. A marker, not a cache: apps below the project package use it
without importing the project.
"""


def public_page(view):
    """Mark ``view`` (a function, an ``as_view()`` result or a Feed instance) as the
    same for every anonymous reader, so its response may be cached and shared."""
    view.public_page = True
    return view


def is_public_page(view) -> bool:
    return getattr(view, "public_page", False) is True
