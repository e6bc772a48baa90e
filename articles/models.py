from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from articles.sanitize import clean_html
from common.models import SluggedModel
from images.models import Image
from images.richtext import image_ids
from people.models import Character, Person
from shows.models import Show

# What the rich-text editor offers; the server-side allowlist in
# articles.sanitize is what actually decides what is stored.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
    # Pictures come from the media library: the figure dialog's "Browse…" opens the library
    # picker, which fills in the image (and its id as data-file), alt text and caption.
    # images.richtext explains the stored markup and how it is rendered.
    "Figure": {"pickerUrl": reverse_lazy("admin:images_image_picker")},
    "Image": True,
    "Caption": True,
}


class Section(SluggedModel):
    name = models.CharField(max_length=80)
    description = models.TextField(
        blank=True, help_text="One or two sentences for the section page."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order on the home page and in the menu (lowest first)."
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="section_slug_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Author(SluggedModel):
    name = models.CharField(max_length=120)
    job_title = models.CharField(max_length=120, blank=True, help_text="e.g. “TV critic”.")
    bio = models.TextField(blank=True)
    email = models.EmailField(blank=True, help_text="Not shown to readers.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text="The login this byline belongs to, if any.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="author_slug_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may see: the one owner of this rule (pages, feeds, sitemaps,
        search and template tags all call it). A future ``publish_at`` means scheduled."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def newest_first(self):
        return self.order_by("-publish_at", "-id")


class Article(SluggedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    slug_source = "headline"

    headline = models.CharField(max_length=250)
    dek = models.TextField(
        "standfirst",
        blank=True,
        max_length=400,
        help_text="One or two sentences under the headline; also the summary in feeds.",
    )
    body = ProseEditorField(extensions=BODY_EDITOR_EXTENSIONS, sanitize=clean_html, blank=True)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    featured_image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="featured_in",
        help_text="Shown at the top of the story, on cards and when the story is shared.",
    )
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles", blank=True
    )
    tags = TaggableManager(blank=True, related_name="tagged_articles")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="When readers may see it. A future time schedules the story.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(
        "updated time",
        null=True,
        blank=True,
        help_text="Shown to readers as “Updated”. Set it for significant updates only.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    people = models.ManyToManyField(
        Person, through="ArticlePerson", related_name="articles", blank=True
    )
    characters = models.ManyToManyField(
        Character, through="ArticleCharacter", related_name="articles", blank=True
    )
    shows = models.ManyToManyField(Show, through="ArticleShow", related_name="articles", blank=True)
    related = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text="Stories to suggest after this one, chosen by hand.",
    )
    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        help_text="For search engines; defaults to the headline.",
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=160,
        blank=True,
        help_text="For search results and sharing; defaults to the standfirst.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="article_slug_unique")]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="article_status_publish_idx"),
            models.Index(
                fields=["-publish_at"],
                condition=Q(status="published"),
                name="article_published_idx",
            ),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        when = timezone.localtime(self.publish_at or self.created_at or timezone.now())
        return reverse(
            "articles:detail",
            kwargs={"year": when.year, "month": when.month, "day": when.day, "slug": self.slug},
        )

    def is_public(self, now=None) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= (now or timezone.now())
        )

    def save(self, *args, **kwargs):
        # Sanitise on every save, not only through the admin form.
        self.body = clean_html(self.body)
        if self.status == self.Status.PUBLISHED:
            if self.publish_at is None:
                self.publish_at = timezone.now()
            if self.first_published_at is None:
                self.first_published_at = self.publish_at
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "publish_at", "first_published_at"}
        super().save(*args, **kwargs)
        if update_fields is None or "body" in update_fields:
            self.sync_body_images()

    def sync_body_images(self):
        """Record which library pictures the text shows, so none can be deleted under it."""
        wanted = set(Image.objects.filter(pk__in=image_ids(self.body)).values_list("pk", flat=True))
        links = self.body_image_links.all()
        links.exclude(image__in=wanted).delete()
        have = set(links.values_list("image_id", flat=True))
        ArticleBodyImage.objects.bulk_create(
            ArticleBodyImage(article=self, image_id=pk) for pk in wanted - have
        )


class ArticleAuthor(models.Model):
    """A byline, in order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "byline"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"],
                name="byline_unique",
                violation_error_message="This author is already on the byline.",
            )
        ]

    def __str__(self):
        return self.author.name


class ArticleBodyImage(models.Model):
    """A library picture inside a story's text; kept in step with the body on every save."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="body_image_links")
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="in_story_text")

    class Meta:
        verbose_name = "picture in the story text"
        verbose_name_plural = "pictures in the story text"
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="article_body_image_unique")
        ]

    def __str__(self):
        return f"{self.article} (in the text)"

    def image_usage(self):
        return self.article, "in the story text"


class EntityLink(models.Model):
    """A story's link to a person, character or show, and how it was made."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Added by an editor"
        DETECTED = "detected", "Detected in the text"

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    matched_text = models.CharField(
        max_length=250, blank=True, help_text="How the story wrote the name, when detected."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class ArticlePerson(EntityLink):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="story_links")

    class Meta:
        verbose_name = "person in this story"
        verbose_name_plural = "people in this story"
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="article_person_unique")
        ]

    def __str__(self):
        return self.person.name


class ArticleCharacter(EntityLink):
    character = models.ForeignKey(Character, on_delete=models.CASCADE, related_name="story_links")

    class Meta:
        verbose_name = "character in this story"
        verbose_name_plural = "characters in this story"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "character"], name="article_character_unique"
            )
        ]

    def __str__(self):
        return self.character.name


class ArticleShow(EntityLink):
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="story_links")

    class Meta:
        verbose_name = "show in this story"
        verbose_name_plural = "shows in this story"
        constraints = [
            models.UniqueConstraint(fields=["article", "show"], name="article_show_unique")
        ]

    def __str__(self):
        return self.show.title


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"
        CLARIFICATION = "clarification", "Clarification"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    note = models.TextField(help_text="What was wrong and what is right now, in plain words.")
    published_at = models.DateTimeField(default=timezone.now, help_text="The date readers see.")
    significant = models.BooleanField(
        default=True,
        help_text="Significant notes bump the story's “Updated” time; untick for a typo fix.",
    )

    class Meta:
        ordering = ["published_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} of {timezone.localdate(self.published_at):%b %d, %Y}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.significant and (
            self.article.updated_at is None or self.article.updated_at < self.published_at
        ):
            Article.objects.filter(pk=self.article_id).update(updated_at=self.published_at)
            self.article.updated_at = self.published_at
