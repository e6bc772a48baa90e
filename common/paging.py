"""Paging long story lists without counting them.

A section, tag or person page says "Page 3", not "Page 3 of 1,204": counting
every story of a busy tag would cost more, at 100,000 stories, than the rest of
the page. Each page fetches one row more than it shows, which is how it knows
an older page exists. ``?page=abc``, ``?page=0`` and a page past the end stay
404 (ListView turns ``InvalidPage`` into one).
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import Http404


class CountlessPage(Page):
    def __init__(self, object_list, number, paginator, has_next):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class CountlessPaginator(Paginator):
    countless = True
    # Past this, an OFFSET would overflow the database's integers: a 404, not a 500.
    max_page = 1_000_000

    def validate_number(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > self.max_page:
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and (number > 1 or not self.allow_empty_first_page):
            raise EmptyPage(self.error_messages["no_results"])
        return CountlessPage(rows[: self.per_page], number, self, len(rows) > self.per_page)

    @property
    def count(self):
        raise Http404("This list is not counted.")

    num_pages = count
