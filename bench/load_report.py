"""Turn bench/results/load-*.json (from bench/load.py) into the Performance tables
and chart of docs/benchmarks.md.

    .venv/bin/pip install -r requirements-bench.txt   # matplotlib, for the chart
    .venv/bin/python bench/load_report.py

Writes bench/results/load.md (tables and target checks, pasted into
docs/benchmarks.md) and docs/img/load-ratios.png.
"""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
CHART = ROOT / "docs" / "img" / "load-ratios.png"
PAGES = ("home", "article", "person", "show", "tag", "feed", "search")
UNCACHED_TARGETS = {"article": 0.2, "person": 0.2, "show": 0.2, "home": 0.1, "feed": 0.1}
CACHED_TARGET = 0.6
P99_GROWTH = 1.5


def load():
    runs = {}
    for path in sorted(RESULTS.glob("load-*.json")):
        data = json.loads(path.read_text())
        runs[(data["backend"], data["stories"])] = data
    return runs


def trivial(measured):
    return (measured["trivial"]["rps"] + measured["trivial (again)"]["rps"]) / 2


def ratio(measured, page):
    return measured[page]["rps"] / trivial(measured)


def label(backend, stories):
    return f"{'SQLite' if backend == 'sqlite' else 'PostgreSQL'} {stories // 1000}k"


def tables(runs):
    lines = []
    for (backend, stories), data in sorted(runs.items()):
        lines += [
            f"#### {label(backend, stories)} stories ({data['cache']} cache)",
            "",
            "| page | cached req/s | p50 ms | p99 ms | ratio | uncached req/s | p50 ms "
            "| p99 ms | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        cached, uncached = data["modes"]["cached"], data["modes"]["uncached"]
        for page in ("trivial", *PAGES):
            row = [page if page != "trivial" else "trivial view (mean of 2)"]
            for measured in (cached, uncached):
                m = measured[page]
                rps = trivial(measured) if page == "trivial" else m["rps"]
                row += [
                    f"{rps:,.0f}",
                    f"{m['p50_ms']:.1f}",
                    f"{m['p99_ms']:.1f}",
                    "1.00" if page == "trivial" else f"{ratio(measured, page):.2f}",
                ]
            lines.append("| " + " | ".join(row) + " |")
        errors = sum(
            m["non_2xx"] for measured in (cached, uncached) for m in measured.values()
        ) + sum(bool(m["socket_errors"]) for mm in (cached, uncached) for m in mm.values())
        lines += ["", f"Errors (non-2xx responses, socket errors): {errors}.", ""]
    return lines


def checks(runs):
    lines = ["| target | configuration | result | met |", "|---|---|---|---|"]
    for (backend, stories), data in sorted(runs.items()):
        name = label(backend, stories)
        cached, uncached = data["modes"]["cached"], data["modes"]["uncached"]
        worst = min(PAGES, key=lambda p: ratio(cached, p))
        value = ratio(cached, worst)
        lines.append(
            f"| cached pages and feeds ≥ {CACHED_TARGET}× | {name} | lowest {worst} "
            f"{value:.2f}× | {'yes' if value >= CACHED_TARGET else 'no'} |"
        )
        for page, target in UNCACHED_TARGETS.items():
            value = ratio(uncached, page)
            lines.append(
                f"| uncached {page} ≥ {target}× | {name} | {value:.3f}× | "
                f"{'yes' if value >= target else 'no'} |"
            )
    for backend in ("sqlite", "postgres"):
        small, large = runs.get((backend, 1000)), runs.get((backend, 100000))
        if not small or not large:
            continue
        for mode in ("cached", "uncached"):
            for page in PAGES:
                before = small["modes"][mode][page]["p99_ms"]
                after = large["modes"][mode][page]["p99_ms"]
                growth = after / before
                lines.append(
                    f"| p99 at 100k ≤ {P99_GROWTH}× p99 at 1k | {label(backend, 0)[:-3]} "
                    f"{mode} {page} | {before:.1f} → {after:.1f} ms ({growth:.2f}×) | "
                    f"{'yes' if growth <= P99_GROWTH else 'no'} |"
                )
    return lines


def chart(runs):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    configs = sorted(runs)
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8), sharey=False)
    width = 0.8 / max(1, len(configs))
    for ax, mode in zip(axes, ("cached", "uncached"), strict=True):
        for i, (backend, stories) in enumerate(configs):
            measured = runs[(backend, stories)]["modes"][mode]
            values = [ratio(measured, page) for page in PAGES]
            xs = [x + (i - (len(configs) - 1) / 2) * width for x in range(len(PAGES))]
            ax.bar(xs, values, width, label=label(backend, stories))
        if mode == "cached":
            ax.axhline(CACHED_TARGET, color="black", linestyle="--", linewidth=1)
            ax.set_ylabel("req/s as a share of the trivial view")
        else:
            ax.axhline(0.2, color="black", linestyle="--", linewidth=1)
            ax.axhline(0.1, color="grey", linestyle=":", linewidth=1)
            ax.set_yscale("log")
        ax.set_xticks(range(len(PAGES)), PAGES)
        ax.set_title(f"{mode.capitalize()} (dashed: target)")
    axes[0].legend(fontsize=8)
    fig.suptitle("Newsroom under wrk: gunicorn, 2 workers, 16 connections, 2 cores")
    fig.tight_layout()
    CHART.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(CHART, dpi=110)


def main():
    runs = load()
    if not runs:
        raise SystemExit("No bench/results/load-*.json yet: run bench/load.py first.")
    text = "\n".join([*tables(runs), "", *checks(runs), ""])
    (RESULTS / "load.md").write_text(text)
    print(text)
    try:
        chart(runs)
        print(f"Chart: {CHART.relative_to(ROOT)}")
    except ImportError:
        print("matplotlib is not installed (pip install -r requirements-bench.txt): no chart.")


if __name__ == "__main__":
    main()
