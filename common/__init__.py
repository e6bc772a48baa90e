"""Plain helpers shared by every app (no models, no URLs): text folding, slugs,
alias fields, admin widgets. Sits below ``images`` in the import order."""
