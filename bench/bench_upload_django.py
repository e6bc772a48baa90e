"""Benchmark: one 24-megapixel phone photo through the whole Django path.

    python bench/bench_upload_django.py [--runs 3]

``Image.objects.create_from_upload`` as the admin runs it: checks, master, every rendition,
content hashes, spooling, the database row and the writes to local media storage on commit.
Each run is a fresh interpreter (peak RSS is a process high-water mark) with its own SQLite
database and MEDIA_ROOT in a temporary folder. bench_renditions.py times the Pillow work
alone; the difference is what Django and storage add.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def child(photo: str, folder: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
        MEDIA_ROOT=f"{folder}/media",
    )
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from images.models import Image

    data = Path(photo).read_bytes()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu, wall = time.process_time(), time.perf_counter()
    image = Image.objects.create_from_upload(
        data, name="IMG_0001.jpg", alt_text="A benchmark", credit="Bench"
    )
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    files = sum(1 for p in Path(folder, "media").rglob("*") if p.is_file())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "cpu": cpu,
                "wall": wall,
                "peak": peak,
                "baseline": baseline,
                "files": files,
                "size": [image.width, image.height],
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        photo = Path(tmp) / "photo.jpg"
        # Made in a child too, so this process never holds pixels (RSS is inherited).
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; sys.path.insert(0, sys.argv[1]); from bench_renditions import "
                "make_photo; open(sys.argv[2], 'wb').write(make_photo(orientation=6))",
                str(HERE),
                str(photo),
            ],
            check=True,
        )
        runs = []
        for i in range(args.runs):
            folder = Path(tmp) / f"run{i}"
            folder.mkdir()
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(photo), str(folder)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
    cpu = statistics.median(r["cpu"] for r in runs)
    wall = statistics.median(r["wall"] for r in runs)
    peak = max(r["peak"] for r in runs)
    print(
        f"24 MP portrait JPEG, create_from_upload to local storage, median of {len(runs)} runs: "
        f"{cpu:.2f} s CPU, {wall:.2f} s wall, peak RSS {peak:.0f} MB "
        f"(baseline {runs[0]['baseline']:.0f} MB), {runs[0]['files']} files, "
        f"{runs[0]['size'][0]}×{runs[0]['size'][1]}"
    )


if __name__ == "__main__":
    main()
