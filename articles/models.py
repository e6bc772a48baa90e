import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from articles.sanitize import clean_html
from common.models import SluggedModel
from images.models import Image, images_from_json, images_json
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


class StaleEdit(Exception):
    """A save built from an older version of the story than the one stored."""

    def __init__(self, article_id, expected: int, stored: int):
        super().__init__(
            f"Story {article_id} is at version {stored}; this save was built from {expected}."
        )
        self.article_id = article_id
        self.expected = expected
        self.stored = stored


# A subject (tag, author, person…) with more link rows than this is "popular": its
# newest stories are found by walking the published-stories index newest first
# and checking each for a link (a few thousand rows at most, at any size).
# Rarer subjects are found through their link rows and sorted (at most this many).
POPULAR_LINKS = 1000


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may see: the one owner of this rule (pages, feeds, sitemaps,
        search and template tags all call it). A future ``publish_at`` means scheduled."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def newest_first(self):
        return self.order_by("-publish_at", "-id")

    def about(self, subject):
        """Stories linked to ``subject`` — a tag, author, person, character or show —
        in the query shape that stays cheap for it (one small probe query).

        Joining a subject's link rows and sorting them costs as many rows as the
        subject has stories; walking newest-first and checking each story costs
        the share of stories it is *not* in. The probe picks the cheaper one, so
        a tag on 8,000 of 100,000 stories and a person in three cost about the
        same, and neither grows with the site."""
        links, column = self._links(subject)
        popular = links.order_by().values("pk")[POPULAR_LINKS : POPULAR_LINKS + 1].exists()
        if popular:
            return self.filter(models.Exists(links.filter(**{column: models.OuterRef("pk")})))
        return self.filter(pk__in=links.values(column))

    @staticmethod
    def _links(subject):
        from django.contrib.contenttypes.models import ContentType
        from taggit.models import Tag

        if isinstance(subject, Tag):
            article_type = ContentType.objects.get_for_model(Article)
            return TaggedItem.objects.filter(content_type=article_type, tag=subject), "object_id"
        model = {
            Author: ArticleAuthor,
            Person: ArticlePerson,
            Character: ArticleCharacter,
            Show: ArticleShow,
        }[type(subject)]
        return model.objects.filter(**{model.subject_field: subject}), "article_id"

    def for_cards(self):
        """Published stories, newest first, with what a story card prints (two queries):
        the section and the featured image come in the same row, the bylines in one more.

        FETCH_PEERS: anything a template reaches for that was not loaded (a new
        foreign key on a card) is fetched for the whole list in one query, not
        once per story."""
        return self.published().newest_first().with_card_data()

    def with_card_data(self):
        """What a story card prints, for stories already chosen (see ``for_cards``)."""
        return (
            self.fetch_mode(models.FETCH_PEERS)
            .select_related("section", "featured_image")
            .prefetch_related(
                models.Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
            )
        )

    def with_body_images(self):
        """Bring the library pictures in each story's text along in the same query (a
        subquery through ``ArticleBodyImage``), for ``Article.body_images``."""
        pictures_in_text = (
            ArticleBodyImage.objects.filter(article=models.OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(data=images_json("image"))
            .values("data")
        )
        return self.annotate(
            body_images_data=models.Subquery(pictures_in_text, output_field=models.TextField())
        )

    def for_page(self):
        """With everything a story page prints: bylines, tags, corrections and the
        people, characters and shows it names (through their link rows, which also
        carry where the body names them). Six queries after the story's own; the
        section, the featured image and the pictures in the text come with the story
        (``Article.body_images``)."""
        return (
            self.fetch_mode(models.FETCH_PEERS)
            .select_related("section", "featured_image")
            .with_body_images()
            .prefetch_related(
                models.Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")),
                "tags",
                "corrections",
                models.Prefetch(
                    "articleperson_set",
                    queryset=ArticlePerson.objects.select_related("person__headshot").order_by(
                        "person__sort_name", "person__name"
                    ),
                ),
                models.Prefetch(
                    "articlecharacter_set",
                    queryset=ArticleCharacter.objects.select_related("character__show").order_by(
                        "character__name"
                    ),
                ),
                models.Prefetch(
                    "articleshow_set",
                    queryset=ArticleShow.objects.select_related("show__poster").order_by(
                        "show__sort_title"
                    ),
                ),
            )
        )


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
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_articles",
        help_text=(
            "Who wrote this draft. Contributors see and edit only their own drafts; "
            "empty for imported stories."
        ),
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one on every save; a form built from an older one is refused.",
    )
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
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish stories"),
            ("edit_any_article", "Can see and edit every story, not only their own drafts"),
        ]
        constraints = [models.UniqueConstraint(fields=["slug"], name="article_slug_unique")]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="article_status_publish_idx"),
            models.Index(
                fields=["-publish_at"],
                condition=Q(status="published"),
                name="article_published_idx",
            ),
            # A section's page and feed: its published stories newest first.
            models.Index(
                fields=["section", "-publish_at", "-id"],
                condition=Q(status="published"),
                name="article_section_published_idx",
            ),
        ]

    # The entities a story names, read through their link rows so a page that
    # prefetched those (``for_page``) pays nothing more.
    @property
    def linked_people(self):
        return [link.person for link in self.articleperson_set.all()]

    @property
    def linked_characters(self):
        return [link.character for link in self.articlecharacter_set.all()]

    @property
    def linked_shows(self):
        return [link.show for link in self.articleshow_set.all()]

    @property
    def body_images(self):
        """id → Image for the library pictures in the text, as ``with_body_images`` brought
        them along (no query); None when it did not, or when the text names a picture the link
        table does not (changed behind save()'s back), so that the caller fetches them."""
        if not hasattr(self, "body_images_data"):
            return None
        found = images_from_json(self.body_images_data, self._state.db or "default")
        return found if set(image_ids(self.body)) <= set(found) else None

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

    def slug_is_taken(self, candidate: str) -> bool:
        # A slug another story used to have still answers at its old address.
        return super().slug_is_taken(candidate) or (
            ArticleRedirect.objects.filter(old_slug=candidate).exclude(article_id=self.pk).exists()
        )

    def clean(self):
        super().clean()
        if self.slug:
            former = (
                ArticleRedirect.objects.filter(old_slug=self.slug)
                .exclude(article_id=self.pk)
                .select_related("article")
                .first()
            )
            if former:
                raise ValidationError(
                    {
                        "slug": f"“{former.article}” used this address before and its old "
                        "links still lead there. Pick another slug."
                    }
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
        if update_fields is not None:
            update_fields = {*update_fields, "version"}
            if "status" in update_fields:
                update_fields |= {"publish_at", "first_published_at"}
            kwargs["update_fields"] = update_fields
        with transaction.atomic(using=kwargs.get("using")):
            stored = None
            if self.pk is not None and not self._state.adding:
                # Optimistic locking, checked under a row lock: a save built from an
                # older version than the stored one is refused, never applied over it.
                stored = (
                    type(self)
                    ._default_manager.select_for_update()
                    .filter(pk=self.pk)
                    .values("version", "slug", "publish_at", "created_at", "first_published_at")
                    .first()
                )
                if stored is not None:
                    if stored["version"] != self.version:
                        raise StaleEdit(self.pk, self.version, stored["version"])
                    self.version += 1
            try:
                super().save(*args, **kwargs)
            except BaseException:
                if stored is not None:
                    self.version -= 1
                raise
            if stored is not None:
                self.remember_old_address(stored)
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

    def remember_old_address(self, stored: dict) -> None:
        """A story readers could once reach keeps its old address alive as a redirect.

        Every old address points at the story itself, not at the next address, so a
        story renamed twice sends both old links straight to the current one.
        """
        old = Article(
            pk=self.pk,
            slug=stored["slug"],
            publish_at=stored["publish_at"],
            created_at=stored["created_at"],
        )
        old_path, new_path = old.get_absolute_url(), self.get_absolute_url()
        if old_path == new_path:
            return
        # Back at an address it had before: that one is no longer a redirect.
        ArticleRedirect.objects.filter(old_path=new_path).delete()
        if stored["first_published_at"] is not None:
            ArticleRedirect.objects.update_or_create(
                old_path=old_path, defaults={"article": self, "old_slug": old.slug}
            )


class ArticleAuthor(models.Model):
    """A byline, in order."""

    subject_field = "author"

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
    matched = models.JSONField(
        "matched text",
        default=list,
        blank=True,
        help_text="How the story wrote the name, when detected (every form, in story order).",
    )
    misspelled = models.CharField(
        max_length=250, blank=True, help_text="The probable misspelling this link was made from."
    )
    # [paragraph, start, end] of the first mention in the body's text, where the
    # public page puts its link (None: named only in the headline or standfirst).
    body_span = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def matched_text(self) -> str:
        return ", ".join(f"“{form}”" for form in self.matched)


class ArticlePerson(EntityLink):
    subject_field = "person"
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="story_links")

    class Meta:
        verbose_name = "person in this story"
        verbose_name_plural = "people in this story"
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="article_person_unique")
        ]

    def __str__(self):
        # Names the story too: delete confirmations list these rows.
        return f"{self.person.name} in “{self.article.headline}”"


class ArticleCharacter(EntityLink):
    subject_field = "character"
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
        # Names the story too: delete confirmations list these rows.
        return f"{self.character.name} in “{self.article.headline}”"


class ArticleShow(EntityLink):
    subject_field = "show"
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="story_links")

    class Meta:
        verbose_name = "show in this story"
        verbose_name_plural = "shows in this story"
        constraints = [
            models.UniqueConstraint(fields=["article", "show"], name="article_show_unique")
        ]

    def __str__(self):
        # Names the story too: delete confirmations list these rows.
        return f"{self.show.title} in “{self.article.headline}”"


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


class ArticleRedirect(models.Model):
    """An address a published story used to have. Old links answer with a permanent
    redirect to wherever the story is now (``newsroom.middleware``)."""

    old_path = models.CharField(max_length=200, unique=True)
    old_slug = models.SlugField(max_length=80, db_index=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "old address"
        verbose_name_plural = "old addresses (they redirect here)"

    def __str__(self):
        return self.old_path


class AuditEntry(models.Model):
    """Who published, scheduled, unpublished or deleted which story, and when.

    Written only by ``articles.workflow``; read-only everywhere else.
    """

    class Action(models.TextChoices):
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        UNPUBLISHED = "unpublished", "Unpublished"
        DELETED = "deleted", "Deleted"

    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    at = models.DateTimeField("when", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(
        "by", max_length=150, blank=True, help_text="Kept even if the login is deleted."
    )
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    article_pk = models.BigIntegerField("story id")
    headline = models.CharField(max_length=250, help_text="The headline at the time.")
    publish_at = models.DateTimeField(
        "publish time", null=True, blank=True, help_text="The story's publish time then."
    )
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        default_permissions = ("view",)
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"

    def __str__(self):
        return f"{self.get_action_display()}: {self.headline}"


class EditSession(models.Model):
    """Who opened which story's edit form, and when: the soft lock's memory.

    Nothing is ever locked; the change form only tells editors who else has the
    story open, and optimistic locking (``Article.version``) keeps saves safe.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="edit_session_unique")
        ]

    def __str__(self):
        return f"{self.user} opened {self.article_id} at {self.opened_at:%H:%M}"


class MentionKind(models.TextChoices):
    PERSON = "person", "Person"
    CHARACTER = "character", "Character"
    SHOW = "show", "Show"


class MentionRejection(models.Model):
    """An editor said this detected entity is not what the story means; detection
    must not link it again on later saves."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="mention_rejections"
    )
    kind = models.CharField(max_length=10, choices=MentionKind.choices)
    entity_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=250, help_text="The entity's name when it was rejected.")
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "kind", "entity_id"], name="mention_rejection_unique"
            )
        ]

    def __str__(self):
        return f"{self.name} (rejected)"


class MentionFlag(models.Model):
    """Something detection wants an editor to look at: a probable misspelling, or a
    name that fits several entities. Replaced on every detection run."""

    class Kind(models.TextChoices):
        MISSPELLING = "misspelling", "Probable misspelling"
        AMBIGUOUS = "ambiguous", "Ambiguous name"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mention_flags")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.CharField(max_length=250, help_text="As the story wrote it.")
    suggestion = models.CharField(max_length=250, blank=True)
    linked = models.BooleanField(default=False, help_text="Whether detection linked it anyway.")
    candidates = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text}"


class TalentVersion(models.Model):
    """One row whose token changes with every change to the talent database. Every
    process compares it with the token its cached mention matcher was built from,
    so a new name is used by every worker on every server without a restart.

    A random token rather than a counter: a counter can come back to a value a
    worker has already seen (a restored backup, a rolled-back transaction) and
    would then pass off a stale matcher as current."""

    version = models.CharField(max_length=32, default="")

    def __str__(self):
        return f"talent database version {self.version}"


class ContentVersion(models.Model):
    """One row whose token changes with every change that can show on a public page
    or feed (``articles.freshness``). Cached pages are stored under it, so a new
    token retires every cached page at once, in every process on every server.

    A random token, not a counter, for the reason ``TalentVersion`` gives; the
    time of the change is kept for pages' ``Last-Modified``."""

    token = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"public content version {self.token}"


# Revisions (django-reversion): a story with its bylines, entity links and
# corrections, and its tags through taggit's tagged items.
if not reversion.is_registered(TaggedItem):
    reversion.register(TaggedItem)
reversion.register(ArticleAuthor)
reversion.register(ArticlePerson)
reversion.register(ArticleCharacter)
reversion.register(ArticleShow)
reversion.register(Correction)
reversion.register(
    Article,
    follow=[
        "bylines",
        "articleperson_set",
        "articlecharacter_set",
        "articleshow_set",
        "corrections",
        "tagged_items",
    ],
)
