import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, Section
from people.models import Character, Credit, Person
from shows.models import Show


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("a-long-test-password")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Writer Number{n}")


class ShowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Show

    title = factory.Sequence(lambda n: f"Harbor Show {n}")
    kind = Show.Kind.SERIES
    start_year = 2010


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Actor Person{n}")


class CharacterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Character

    name = factory.Sequence(lambda n: f"Character Name{n}")
    show = factory.SubFactory(ShowFactory)


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    person = factory.SubFactory(PersonFactory)
    show = factory.SubFactory(ShowFactory)
    role = Credit.Role.ACTOR


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Story number {n} about the cast")
    dek = "A short standfirst."
    body = "<p>First paragraph.</p><p>Second paragraph.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for position, author in enumerate(extracted):
                ArticleAuthor.objects.create(article=self, author=author, position=position)
