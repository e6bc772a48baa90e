"""Model and form fields shared by the talent database and articles."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


def _key(value: str) -> str:
    return " ".join(value.casefold().split())


def clean_aliases(values, name: str = "") -> list[str]:
    """Trim, drop blanks, drop the record's own name and repeats (ignoring case).

    Accent-free spellings are kept on purpose: importers refer to records by an
    exact alias, and "Zoe Marchetti" is how half the wire writes "Zoë Marchetti".
    """
    seen = {_key(name)} if name else set()
    result = []
    for value in values:
        value = " ".join(str(value).split())
        key = _key(value)
        if key and key not in seen:
            seen.add(key)
            result.append(value)
    return result


class AliasesFormField(forms.CharField):
    """One alias per line in a textarea; a list of strings in Python."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return clean_aliases(value)
        value = super().to_python(value) or ""
        aliases = clean_aliases(value.splitlines())
        too_long = [a for a in aliases if len(a) > 200]
        if too_long:
            raise ValidationError(
                "Each alias must be at most 200 characters; this one is longer: %(alias)s",
                params={"alias": too_long[0][:60] + "…"},
            )
        return aliases

    def has_changed(self, initial, data):
        return clean_aliases(initial or []) != self.to_python(data)


class AliasesField(models.JSONField):
    """Other names a person, character or show is written as (a JSON list of strings)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        kwargs.setdefault(
            "help_text",
            "Other ways copy writes this name, one per line (short forms, "
            "abbreviations, former names). Used by search and mention detection.",
        )
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # Skip JSONField.formfield (raw JSON editing); editors type one alias per line.
        return models.Field.formfield(
            self, **{"form_class": AliasesFormField, "required": not self.blank, **kwargs}
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError("Aliases must be a list of names.")
