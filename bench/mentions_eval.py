"""Score the mention matcher against the labelled evaluation set.

    python bench/mentions_eval.py [--verbose]

Each story in tests/mentions/evalset/stories/ is a wire-format text file with
a JSON file of expected labels beside it (people, characters, shows by name or
unique alias; misspellings; ambiguous names). Prints the misses and false hits
of every story, then precision and recall micro-averaged over linked entities,
and exits non-zero if either is below target.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from _project_path import ROOT

from articles.mentions.matcher import Matcher
from articles.mentions.talent import load_talent

EVALSET = ROOT / "tests" / "mentions" / "evalset"
TARGET_PRECISION = 0.97
TARGET_RECALL = 0.95
LABEL_KINDS = {"people": "person", "characters": "character", "shows": "show"}


def read_story(path: Path) -> tuple[str, list[str]]:
    """Headline and paragraphs of a wire-format story (formats/article-text.md)."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    first, _, rest = text.partition("\n")
    parts = first.split(None, 2)
    if len(parts) < 3 or parts[0] != "date":
        raise ValueError(f"{path}: first line must be 'date YYYY-MM-DD headline'")
    paragraphs = [" ".join(p.split()) for p in rest.split("\n\n") if p.strip()]
    return parts[2].strip(), paragraphs


def ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every story")
    args = parser.parse_args()

    talent = load_talent(json.loads((EVALSET / "talent.json").read_text(encoding="utf-8")))
    names = {e.ref: e.name for e in talent.entries}
    matcher = Matcher(talent.entries)

    def show(ref: tuple[str, int]) -> str:
        aliases = [n for (k, n), r in talent.refs.items() if r == ref and "(" in n]
        return aliases[0] if aliases else names[ref]

    totals = {"tp": 0, "fp": 0, "fn": 0}
    extra = {"misspellings": [0, 0, 0], "ambiguous": [0, 0, 0]}  # tp, fp, fn
    stories = sorted((EVALSET / "stories").glob("*.txt"))
    for path in stories:
        labels = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        headline, body = read_story(path)
        result = matcher.find(headline=headline, body=body)

        expected = {talent.ref(kind, n) for key, kind in LABEL_KINDS.items() for n in labels[key]}
        got = {(link.kind, link.id) for link in result.linked}
        misses, false_hits = expected - got, got - expected
        totals["tp"] += len(expected & got)
        totals["fp"] += len(false_hits)
        totals["fn"] += len(misses)

        exp_miss = {(m["text"], m["suggest"]) for m in labels["misspellings"]}
        got_miss = {(m.text, m.suggest) for m in result.misspellings}
        exp_amb = {
            (a["text"], frozenset(talent.ref(k, n) for k, n in a["candidates"]))
            for a in labels["ambiguous"]
        }
        got_amb = {
            (a.text, frozenset((k, i) for k, i, _ in a.candidates)) for a in result.ambiguous
        }
        problems = []
        for label, exp, gotten in (
            ("misspellings", exp_miss, got_miss),
            ("ambiguous", exp_amb, got_amb),
        ):
            counts = extra[label]
            counts[0] += len(exp & gotten)
            counts[1] += len(gotten - exp)
            counts[2] += len(exp - gotten)
            problems += [f"  missing {label[:-1]}: {x[0]!r}" for x in exp - gotten]
            problems += [f"  unexpected {label[:-1]}: {x[0]!r}" for x in gotten - exp]
        problems[:0] = [f"  missed: {show(r)} ({r[0]})" for r in sorted(misses)]
        problems += [f"  false hit: {show(r)} ({r[0]})" for r in sorted(false_hits)]

        status = "ok " if not problems else "ERR"
        if problems or args.verbose:
            print(f"{status} {path.stem}: {len(expected & got)}/{len(expected)} linked")
            for line in problems:
                print(line)

    precision = ratio(totals["tp"], totals["tp"] + totals["fp"])
    recall = ratio(totals["tp"], totals["tp"] + totals["fn"])
    print()
    print(f"stories: {len(stories)}; linked entities expected: {totals['tp'] + totals['fn']}")
    print(
        f"linked: precision {precision:.3f} (target >= {TARGET_PRECISION}), "
        f"recall {recall:.3f} (target >= {TARGET_RECALL}); "
        f"tp={totals['tp']} fp={totals['fp']} fn={totals['fn']}"
    )
    for label, (tp, fp, fn) in extra.items():
        print(
            f"{label}: precision {ratio(tp, tp + fp):.3f}, recall {ratio(tp, tp + fn):.3f}; "
            f"tp={tp} fp={fp} fn={fn}"
        )
    ok = precision >= TARGET_PRECISION and recall >= TARGET_RECALL
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
