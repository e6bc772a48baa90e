"""Abstract model pieces shared by the talent database and articles."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from common.fields import AliasesField, clean_aliases
from common.text import join_initials, search_key, unique_slug

SLUG_MAX_LENGTH = 80


class SluggedModel(models.Model):
    """A model whose slug is made from one of its text fields when left blank.

    The database guarantees uniqueness (a ``UniqueConstraint`` on each concrete
    model); this only picks a free slug so editors and importers rarely meet it.
    """

    slug_source = "name"

    slug = models.SlugField(
        max_length=SLUG_MAX_LENGTH,
        blank=True,
        help_text="The last part of the web address. Leave blank to make one from the name.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.ensure_slug()
        super().save(*args, **kwargs)

    def slug_is_taken(self, candidate: str) -> bool:
        qs = type(self)._default_manager.filter(slug=candidate)
        if self.pk:
            qs = qs.exclude(pk=self.pk)
        return qs.exists()

    def ensure_slug(self) -> None:
        if not self.slug:
            self.slug = unique_slug(
                getattr(self, self.slug_source), self.slug_is_taken, SLUG_MAX_LENGTH
            )


class NamedEntity(SluggedModel):
    """A person, character or show: a name, aliases and a folded search column."""

    name_field = "name"

    aliases = AliasesField()
    search_names = models.TextField(
        editable=False,
        blank=True,
        help_text="Name and aliases folded to lower-case ASCII, for search.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_names()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {self.name_field, "aliases"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "aliases", "search_names"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return getattr(self, self.name_field)

    def all_names(self) -> list[str]:
        return [self.display_name, *self.aliases]

    def refresh_search_names(self) -> None:
        self.aliases = clean_aliases(self.aliases or [], self.display_name)
        keys = [search_key(n) for n in self.all_names()]
        # "chicago p.d." is also "chicago pd", as site search reads it.
        keys += [join_initials(key) for key in keys if "." in key]
        self.search_names = "\n".join(dict.fromkeys(keys))


imdb_person = RegexValidator(r"^nm\d{7,8}$", "An IMDb person id looks like nm0000123.")
imdb_title = RegexValidator(r"^tt\d{7,8}$", "An IMDb title id looks like tt0123456.")
tmdb_id = RegexValidator(r"^\d{1,10}$", "A TMDB id is a number, like 1396.")
wikidata_id = RegexValidator(r"^Q[1-9]\d{0,11}$", "A Wikidata id looks like Q42.")


def external_id_constraints(prefix: str) -> list[models.UniqueConstraint]:
    """Unique when set: blank ids are allowed on any number of records."""
    return [
        models.UniqueConstraint(
            fields=[field], condition=~Q(**{field: ""}), name=f"{prefix}_{field}_unique"
        )
        for field in ("imdb_id", "tmdb_id", "wikidata_id")
    ]


def year_range_constraints(prefix: str, start: str, end: str) -> list[models.CheckConstraint]:
    """Years a film or TV record can plausibly carry, with the end not before the start."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__range": (1870, 2100)}),
            name=f"{prefix}_{start}_range",
            violation_error_message="Years must be between 1870 and 2100.",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__range": (1870, 2100)}),
            name=f"{prefix}_{end}_range",
            violation_error_message="Years must be between 1870 and 2100.",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{start}__isnull": True})
            | Q(**{f"{end}__isnull": True})
            | Q(**{f"{end}__gte": models.F(start)}),
            name=f"{prefix}_{end}_after_{start}",
            violation_error_message="The end year cannot be before the start year.",
        ),
    ]
