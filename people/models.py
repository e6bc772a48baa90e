from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from taggit.managers import TaggableManager

from common.models import (
    NamedEntity,
    external_id_constraints,
    imdb_person,
    tmdb_id,
    wikidata_id,
    year_range_constraints,
)
from images.models import Image
from shows.models import Show


class Person(NamedEntity):
    name = models.CharField(max_length=200, help_text="As credited: Renée Zellweger.")
    sort_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Used for A–Z order, family name first. Leave blank to use the last word.",
    )
    birth_date = models.DateField(
        null=True, blank=True, help_text="Tells apart two people with the same name."
    )
    bio = models.TextField(blank=True)
    headshot = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="headshot_of",
        help_text="From the media library; cropped square around its focal point.",
    )
    imdb_id = models.CharField("IMDb id", max_length=12, blank=True, validators=[imdb_person])
    tmdb_id = models.CharField("TMDB id", max_length=12, blank=True, validators=[tmdb_id])
    wikidata_id = models.CharField(
        "Wikidata id", max_length=14, blank=True, validators=[wikidata_id]
    )
    tags = TaggableManager(blank=True, related_name="tagged_people")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="person_slug_unique"),
            *external_id_constraints("person"),
        ]
        indexes = [models.Index(fields=["sort_name"], name="person_sort_name_idx")]

    def __str__(self):
        if self.birth_date:
            return f"{self.name} (b. {self.birth_date.year})"
        return self.name

    def get_absolute_url(self):
        return reverse("people:detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.sort_name:
            parts = self.name.split()
            self.sort_name = f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else self.name
        super().save(*args, **kwargs)


class Character(NamedEntity):
    name = models.CharField(max_length=200, help_text="Full name as the show gives it.")
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="characters")
    description = models.TextField(blank=True)
    performers = models.ManyToManyField(
        Person, through="Credit", related_name="characters", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="character_slug_unique")]

    def __str__(self):
        return f"{self.name} ({self.show.title})"

    def get_absolute_url(self):
        return reverse("people:character", kwargs={"slug": self.slug})


class Credit(models.Model):
    """A person's work on a show: a role, optionally as a character, over some years."""

    class Role(models.TextChoices):
        ACTOR = "actor", "Actor"
        GUEST = "guest", "Guest star"
        VOICE = "voice", "Voice"
        SELF = "self", "Self"
        HOST = "host", "Host"
        CREATOR = "creator", "Creator"
        DIRECTOR = "director", "Director"
        WRITER = "writer", "Writer"
        PRODUCER = "producer", "Producer"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="credits")
    character = models.ForeignKey(
        Character,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="credits",
        help_text="For acting roles: who they play. Must be a character of this show.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ACTOR)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Blank if ongoing or a single year."
    )
    episode_count = models.PositiveIntegerField(null=True, blank=True)
    billing_order = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 for the top of the cast list."
    )
    note = models.CharField(max_length=200, blank=True, help_text="e.g. “seasons 1–3”.")

    class Meta:
        ordering = ["billing_order", "start_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "show", "character", "role"],
                condition=Q(character__isnull=False),
                name="credit_unique_with_character",
                violation_error_message="This person already has this role as this character.",
            ),
            models.UniqueConstraint(
                fields=["person", "show", "role"],
                condition=Q(character__isnull=True),
                name="credit_unique_without_character",
                violation_error_message="This person already has this role on this show.",
            ),
            *year_range_constraints("credit", "start_year", "end_year"),
            models.CheckConstraint(
                condition=Q(episode_count__isnull=True) | Q(episode_count__range=(1, 100000)),
                name="credit_episode_count_range",
                violation_error_message="The episode count must be at least 1.",
            ),
        ]

    def __str__(self):
        who = f"{self.person.name} ({self.get_role_display().lower()})"
        if self.character_id:
            who += f" as {self.character.name}"
        return f"{who} in {self.show.title}"

    @property
    def years(self) -> str:
        if not self.start_year:
            return ""
        if not self.end_year or self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    def clean(self):
        if self.character_id and self.show_id and self.character.show_id != self.show_id:
            character = self.character
            raise ValidationError(
                {"character": f"{character.name} is a character of {character.show.title}."}
            )
