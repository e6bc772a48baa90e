"""Benchmark: the full rendition set for a 24-megapixel camera JPEG.

    python bench/bench_renditions.py [--runs 3]

Generates a 6000×4000 photo-like JPEG (soft shapes, gradients, texture and sensor grain, with
camera EXIF including GPS and Orientation=6), then measures in a *fresh subprocess per run*:

* ``renditions``: ``render_all(master, info)``, the job a task queue runs per image;
* ``upload``: ``make_master(upload)`` (validation + orientation + stripping + re-encode);
* ``end_to_end``: both, as when renditions are made right after upload.

CPU is ``time.process_time()`` (all threads). Peak memory is the process's RSS high-water mark
from ``resource.getrusage`` — it sees Pillow's C buffers, which tracemalloc does not — and is
taken in a fresh interpreter so nothing earlier inflates it; the interpreter + Pillow baseline
is reported too. Targets: renditions ≤ 3 s CPU and ≤ 400 MB peak RSS. Writes a markdown table
to bench/results/renditions.md and prints it.
"""

import argparse
import io
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

CPU_TARGET_S = 3.0
RSS_TARGET_MB = 400.0
SCENARIOS = ("renditions", "upload", "end_to_end")


# --------------------------------------------------------------------------------------------
# Test image
# --------------------------------------------------------------------------------------------


def make_photo(
    width: int = 6000, height: int = 4000, orientation: int = 6, seed: int = 24
) -> bytes:
    """A camera-like JPEG: smooth regions, edges, texture and grain, plus realistic EXIF.

    A flat or pure-noise image would flatter or punish the encoders unrealistically; this mix
    compresses to a size typical of a 24 MP camera JPEG at q92 (~8-12 MB).
    """
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    rng = random.Random(seed)
    full = (width, height)

    def octave(divisor: int, sigma: float) -> Image.Image:
        # Gaussian noise at 1/divisor resolution, smoothly upscaled: one band of detail.
        size = (max(2, width // divisor), max(2, height // divisor))
        return Image.effect_noise(size, sigma).resize(full, Image.Resampling.BICUBIC)

    # Natural images have roughly 1/f spectra: sum octaves from broad shading to fine texture.
    luminance = octave(256, 60)
    for divisor, weight in ((64, 0.45), (16, 0.35), (4, 0.25), (1, 0.12)):
        luminance = Image.blend(luminance, octave(divisor, 70), weight)

    # Colour: soft-edged blobs (subjects, background objects) over lighting gradients,
    # composed at 1/8 size because they carry no fine detail.
    small = (width // 8, height // 8)
    grad = Image.linear_gradient("L").resize(small)
    scene = Image.merge(
        "RGB",
        [grad, grad.transpose(Image.Transpose.ROTATE_90).resize(small), ImageChops.invert(grad)],
    )
    draw = ImageDraw.Draw(scene, "RGBA")
    for _ in range(40):
        x, y = rng.randrange(small[0]), rng.randrange(small[1])
        r = rng.randrange(10, small[0] // 4)
        colour = (*(rng.randrange(256) for _ in range(3)), rng.randrange(90, 230))
        shape = draw.ellipse if rng.random() < 0.7 else draw.rectangle
        shape((x - r, y - r * 2 // 3, x + r, y + r * 2 // 3), fill=colour)
    scene = scene.filter(ImageFilter.GaussianBlur(6)).resize(full, Image.Resampling.BICUBIC)

    # Texture modulates the colour like surface detail under light does.
    scene = ImageChops.overlay(scene, Image.merge("RGB", [luminance] * 3))

    # Sharp edges at full size: hair, cables, foliage, lettering.
    draw = ImageDraw.Draw(scene)
    for _ in range(300):
        x, y = rng.randrange(width), rng.randrange(height)
        dx, dy = rng.randrange(-300, 300), rng.randrange(-300, 300)
        draw.line((x, y, x + dx, y + dy), fill=tuple(rng.randrange(256) for _ in range(3)), width=2)

    # Per-channel sensor grain, as in any high-ISO red-carpet shot.
    grain = Image.merge("RGB", [Image.effect_noise(full, 24) for _ in range(3)])
    scene = Image.blend(scene, grain, 0.10)

    exif = Image.Exif()
    exif[0x010F] = "Newsroom Camera Co."  # Make
    exif[0x0110] = "NR-24"  # Model
    exif[0x0112] = orientation  # 6: rotate 90° CW to display (a portrait shot)
    exif[0x0132] = "2025:05:17 21:04:33"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (43.0, 33.0, 5.28)  # Cannes, where the paparazzi are
    gps[3] = "E"
    gps[4] = (7.0, 1.0, 3.84)
    buf = io.BytesIO()
    scene.save(buf, "JPEG", quality=92, exif=exif.tobytes())
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Child: one measured run in a fresh interpreter
# --------------------------------------------------------------------------------------------


def _rss_mb() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(scenario: str, upload_path: str, master_path: str | None) -> dict:
    from images import processing as p

    upload = Path(upload_path).read_bytes()
    master_bytes = Path(master_path).read_bytes() if master_path else None
    baseline = _rss_mb()
    timings: dict[str, float] = {}
    result: dict = {"scenario": scenario, "baseline_mb": baseline}

    cpu0, wall0 = time.process_time(), time.perf_counter()
    if scenario in ("upload", "end_to_end"):
        t = time.process_time()
        master_bytes, info = p.make_master(upload)
        result["master_cpu_s"] = time.process_time() - t
        result["master_bytes"] = len(master_bytes)
    else:
        info = json.loads(Path(master_path + ".json").read_text())
        info = p.ImageInfo(**info)
    if scenario in ("renditions", "end_to_end"):
        t = time.process_time()
        outputs = p.render_all(master_bytes, info, timings=timings)
        result["render_cpu_s"] = time.process_time() - t
        result["count"] = len(outputs)
        sizes: dict[str, int] = {}
        for spec, data in outputs:
            sizes[spec.format] = sizes.get(spec.format, 0) + len(data)
        result["bytes_by_format"] = sizes
        result["specs"] = [
            f"{s.key:<18} {s.width:>4}×{s.height:<4} {len(d):>9,}" for s, d in outputs
        ]
    result["cpu_s"] = time.process_time() - cpu0
    result["wall_s"] = time.perf_counter() - wall0
    result["peak_mb"] = _rss_mb()
    result["timings"] = timings
    result["info"] = {
        "format": info.format,
        "width": info.width,
        "height": info.height,
        "has_alpha": info.has_alpha,
    }
    return result


# --------------------------------------------------------------------------------------------
# Parent: prepare inputs, spawn runs, report
# --------------------------------------------------------------------------------------------

# Linux carries a process's RSS high-water mark across fork+exec, so the parent must stay small:
# it never touches pixels itself, and even the inputs are prepared in a child process.
SOURCES = {
    "portrait": "Orientation=6 (camera held upright): displayed 4000×6000, the heavier case",
    "landscape": "Orientation=1: displayed 6000×4000",
}


def prepare(tmpdir: str) -> dict:
    from PIL import Image

    from images import processing as p

    out: dict = {}
    for name, orientation in (("portrait", 6), ("landscape", 1)):
        t = time.perf_counter()
        photo = make_photo(orientation=orientation)
        gen_s = time.perf_counter() - t
        upload = Path(tmpdir) / f"{name}.jpg"
        upload.write_bytes(photo)
        master_bytes, info = p.make_master(photo)
        master = Path(tmpdir) / f"{name}-master.jpg"
        master.write_bytes(master_bytes)
        info_dict = {
            "format": info.format,
            "mime": info.mime,
            "width": info.width,
            "height": info.height,
            "has_alpha": info.has_alpha,
            "animated": info.animated,
        }
        Path(str(master) + ".json").write_text(json.dumps(info_dict))
        with Image.open(io.BytesIO(photo)) as im:
            stored = im.size
        out[name] = {
            "upload": str(upload),
            "master": str(master),
            "upload_mb": len(photo) / 2**20,
            "master_mb": len(master_bytes) / 2**20,
            "stored": stored,
            "displayed": (info.width, info.height),
            "gen_s": gen_s,
        }
    return out


def _spawn(*args: str) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout)


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _median_timing(runs: list[dict], key: str) -> float:
    return statistics.median(r["timings"].get(key, 0.0) for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh-process runs per scenario")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.prepare:
        print(json.dumps(prepare(args.prepare)))
        return 0
    if args.child:
        scenario, upload, *rest = args.child
        print(json.dumps(child(scenario, upload, rest[0] if rest else None)))
        return 0

    results: dict[str, dict[str, list[dict]]] = {}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="nr-bench-") as tmp:
        sources = _spawn("--prepare", tmp)
        for name, src in sources.items():
            results[name] = {}
            for scenario in SCENARIOS:
                extra = [src["master"]] if scenario == "renditions" else []
                results[name][scenario] = [
                    _spawn("--child", scenario, src["upload"], *extra) for _ in range(args.runs)
                ]

    report = _report(results, sources, args.runs, (load_before, os.getloadavg()[0]))
    print(report)
    out = HERE / "results" / "renditions.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report)
    ok = all(
        _median(r["renditions"], "cpu_s") <= CPU_TARGET_S
        and max(x["peak_mb"] for x in r["renditions"]) <= RSS_TARGET_MB
        for r in results.values()
    )
    return 0 if ok else 1


def _report(results: dict, sources: dict, runs: int, load: tuple[float, float]) -> str:
    import PIL  # metadata only; the parent never decodes an image

    first = next(iter(sources.values()))
    lines = [
        "# Rendition benchmark",
        "",
        f"Input: a generated photo-like {first['stored'][0]}×{first['stored'][1]} JPEG "
        f"(24 MP, q92, {first['upload_mb']:.1f} MB) with camera EXIF including GPS and "
        "Orientation. Each row is the median of "
        f"{runs} runs, each in a fresh Python process (peak RSS: the maximum over runs).",
        f"Python {platform.python_version()}, Pillow {PIL.__version__}, {platform.machine()}, "
        f"{os.cpu_count()} cores; AVIF with one encoder thread. 1-min load average "
        f"{load[0]:.1f} before / {load[1]:.1f} after: other work on the machine inflates "
        "wall time (and, through cache contention, CPU time a little); CPU is the measure.",
        "",
        "Targets for `render_all` (the rendition set): "
        f"≤ {CPU_TARGET_S:g} s CPU and ≤ {RSS_TARGET_MB:g} MB peak RSS.",
        "",
        "| source | scenario | CPU s | wall s | peak RSS MB | of which baseline MB | outputs "
        "| target met |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, by_scenario in results.items():
        for scenario in SCENARIOS:
            rs = by_scenario[scenario]
            peak = max(r["peak_mb"] for r in rs)
            cpu = _median(rs, "cpu_s")
            if scenario == "renditions":
                verdict = "✅ yes" if cpu <= CPU_TARGET_S and peak <= RSS_TARGET_MB else "❌ NO"
            else:
                verdict = "(no target)"
            lines.append(
                f"| {name} | {scenario} | {cpu:.2f} | {_median(rs, 'wall_s'):.2f} | {peak:.0f} "
                f"| {statistics.median(r['baseline_mb'] for r in rs):.0f} "
                f"| {rs[0].get('count', 1)} | {verdict} |"
            )
    lines += [
        "",
        "Scenarios: `renditions` = `render_all(master, info)` on the stored master; `upload` = "
        "`make_master(upload)` (full validation decode, orientation, metadata strip, q90 "
        "re-encode); `end_to_end` = both in one process. Baseline = RSS after importing "
        "Pillow and reading the input, before any image work.",
        "",
    ]
    for name, by_scenario in results.items():
        src = sources[name]
        ren = by_scenario["renditions"]
        lines += [
            f"## {name}: {SOURCES[name]}",
            "",
            f"Upload {src['upload_mb']:.1f} MB → master {src['master_mb']:.1f} MB "
            f"({src['displayed'][0]}×{src['displayed'][1]}); `make_master` "
            f"{_median(by_scenario['upload'], 'master_cpu_s'):.2f} s CPU.",
            "",
            "| render_all stage | CPU s | outputs | total KB |",
            "| --- | ---: | ---: | ---: |",
        ]
        counts: dict[str, int] = {}
        for spec_line in ren[0]["specs"]:
            ext = spec_line.split()[0].rsplit(".", 1)[1]
            fmt = {"jpg": "jpeg"}.get(ext, ext)
            counts[fmt] = counts.get(fmt, 0) + 1
        for stage in ("decode", "resize", "avif", "webp", "jpeg", "png"):
            if stage not in ren[0]["timings"]:
                continue
            kb = ren[0]["bytes_by_format"].get(stage)
            lines.append(
                f"| {stage} | {_median_timing(ren, stage):.3f} | {counts.get(stage, '')} | "
                f"{'' if kb is None else f'{kb / 1024:,.0f}'} |"
            )
        lines += ["", "Outputs (`Spec.key`, size, bytes):", "", "```", *ren[0]["specs"], "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
