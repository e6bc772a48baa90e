from django.db import models
from django.urls import reverse
from taggit.managers import TaggableManager

from common.models import (
    NamedEntity,
    external_id_constraints,
    imdb_title,
    tmdb_id,
    wikidata_id,
    year_range_constraints,
)
from images.models import Image

_LEADING_ARTICLE = ("the ", "a ", "an ")


class Show(NamedEntity):
    class Kind(models.TextChoices):
        SERIES = "series", "TV series"
        FILM = "film", "Film"
        SOAP = "soap", "Soap opera"
        MINISERIES = "miniseries", "Miniseries"
        SPECIAL = "special", "Special"

    slug_source = "title"
    name_field = "title"

    title = models.CharField(max_length=200, help_text="As the show credits itself: Chicago P.D.")
    sort_title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Used for A–Z order. Leave blank to drop a leading The/A/An.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SERIES)
    network = models.CharField(
        "network or studio", max_length=120, blank=True, help_text="NBC, Netflix, A24…"
    )
    start_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of the first episode or the film's release."
    )
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of the last episode. Blank while still running."
    )
    synopsis = models.TextField(blank=True)
    poster = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="poster_of",
        help_text="From the media library; cropped 2:3 around its focal point.",
    )
    imdb_id = models.CharField("IMDb id", max_length=12, blank=True, validators=[imdb_title])
    tmdb_id = models.CharField("TMDB id", max_length=12, blank=True, validators=[tmdb_id])
    wikidata_id = models.CharField(
        "Wikidata id", max_length=14, blank=True, validators=[wikidata_id]
    )
    tags = TaggableManager(blank=True, related_name="tagged_shows")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_title", "start_year"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="show_slug_unique"),
            *external_id_constraints("show"),
            *year_range_constraints("show", "start_year", "end_year"),
        ]
        indexes = [models.Index(fields=["sort_title"], name="show_sort_title_idx")]

    def __str__(self):
        return f"{self.title} ({self.start_year})" if self.start_year else self.title

    def get_absolute_url(self):
        return reverse("shows:detail", kwargs={"slug": self.slug})

    @property
    def years(self) -> str:
        if not self.start_year:
            return ""
        if self.kind == self.Kind.FILM or self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year or ''}"

    def save(self, *args, **kwargs):
        if not self.sort_title:
            lowered = self.title.lower()
            prefix = next((p for p in _LEADING_ARTICLE if lowered.startswith(p)), "")
            self.sort_title = self.title[len(prefix) :].strip() or self.title
        super().save(*args, **kwargs)
