"""A–Z indexes: ``?letter=m`` narrows a list to one initial; ``?letter=0`` is
everything that starts with something other than A–Z."""

import string

from django.db.models import Q
from django.db.models.functions import Substr, Upper
from django.http import Http404

LETTERS = list(string.ascii_uppercase)
OTHER = "0"


class AlphabetMixin:
    """For a ListView: set ``letter_field`` (the sort column)."""

    letter_field = None
    paginate_by = 100
    canonical_params = ("letter",)

    def current_letter(self) -> str | None:
        letter = self.request.GET.get("letter")
        if letter is None:
            return None
        letter = letter.upper()
        if letter != OTHER and letter not in LETTERS:
            raise Http404("No such letter.")
        return letter

    def filter_letter(self, queryset):
        letter = self.current_letter()
        if letter is None:
            return queryset
        starts_alpha = Q(**{f"{self.letter_field}__regex": r"^[A-Za-z]"})
        if letter == OTHER:
            return queryset.exclude(starts_alpha)
        return queryset.filter(**{f"{self.letter_field}__istartswith": letter})

    def get_context_data(self, **kwargs):
        initials = set(
            self.model.objects.order_by()
            .annotate(initial=Upper(Substr(self.letter_field, 1, 1)))
            .values_list("initial", flat=True)
            .distinct()
        )
        letters = [{"letter": c, "label": c, "present": c in initials} for c in LETTERS]
        letters.append({"letter": OTHER, "label": "#", "present": bool(initials - set(LETTERS))})
        return super().get_context_data(
            letters=letters, letter=self.current_letter(), OTHER=OTHER, **kwargs
        )
