"""Pictures for the demo site, drawn in code: no photographs to license or ship.

``illustration()`` paints an abstract, poster-like picture — a colour wash, soft stage
lights, a few beams and a little grain — from a palette and a seed, so the same arguments
always give the same bytes (and, the library's names being content-addressed, the same
files). ``portrait()`` adds a head-and-shoulders silhouette for headshots; ``poster()`` a
title. They return JPEG bytes for ``Image.objects.create_from_upload``, which checks and
renders them like any upload. Pure Pillow; nothing here knows about stories or people.
"""

import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

# (dark, mid, light, highlight): deep, saturated washes that read well under white type.
PALETTES = {
    "crimson": ("#1a0710", "#7a0f2b", "#e0485f", "#ffd2a6"),
    "violet": ("#0f0a24", "#4b2590", "#9a6cf0", "#ffd6f5"),
    "amber": ("#1c1006", "#8a4a0c", "#f0a33a", "#fff1c2"),
    "teal": ("#041a1a", "#0d5c5a", "#35b5a5", "#d9fff4"),
    "cobalt": ("#060c22", "#1d3f9a", "#4f8df0", "#d6ecff"),
    "rose": ("#1e0714", "#8c1650", "#e8609c", "#ffe0ee"),
    "slate": ("#0c0d12", "#2e3444", "#7d8aa6", "#f2f4ff"),
}


def _rgb(value: str) -> tuple[int, int, int]:
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))


def _paint(width: int, height: int, palette: str, seed: int) -> Image.Image:
    rng = random.Random(seed)
    dark, mid, light, highlight = (_rgb(c) for c in PALETTES[palette])
    # Work at a quarter of the size: everything here is soft, and upscaling is cheap.
    w, h = max(64, width // 4), max(64, height // 4)
    down = Image.linear_gradient("L").resize((w, h))
    across = Image.linear_gradient("L").rotate(90).resize((w, h))
    if rng.random() < 0.5:
        across = ImageOps.mirror(across)
    wash = Image.blend(down, across, rng.uniform(0.35, 0.65))
    canvas = ImageOps.colorize(wash, black=light, mid=mid, white=dark).convert("RGBA")

    lights = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(lights)
    for _ in range(rng.randint(2, 3)):  # beams from above
        x = rng.uniform(0.1, 0.9) * w
        spread = rng.uniform(0.12, 0.3) * w
        tilt = rng.uniform(-0.3, 0.3) * w
        draw.polygon(
            [(x - 3, -2), (x + 3, -2), (x + tilt + spread, h), (x + tilt - spread, h)],
            fill=(*highlight, rng.randint(40, 80)),
        )
    for _ in range(rng.randint(2, 4)):  # soft stage lights
        r = rng.uniform(0.12, 0.3) * max(w, h)
        x, y = rng.uniform(0, w), rng.uniform(0, h * 0.6)
        colour = rng.choice((light, highlight))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, rng.randint(60, 120)))
    lights = lights.filter(ImageFilter.GaussianBlur(max(w, h) / 24))
    bokeh = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(bokeh)
    for _ in range(rng.randint(10, 18)):  # out-of-focus lights in the distance
        r = rng.uniform(0.01, 0.035) * max(w, h)
        x, y = rng.uniform(0, w), rng.uniform(0.35, 0.75) * h
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*highlight, rng.randint(50, 140)))
    bokeh = bokeh.filter(ImageFilter.GaussianBlur(max(w, h) / 300))
    canvas = Image.alpha_composite(Image.alpha_composite(canvas, lights), bokeh)

    # A darker floor for depth, then back to full size with a little grain.
    floor = Image.linear_gradient("L").resize((w, h)).point(lambda v: int(max(0, v - 110) * 1.4))
    canvas = Image.composite(Image.new("RGBA", (w, h), (*dark, 255)), canvas, floor)
    picture = canvas.convert("RGB").resize((width, height), Image.Resampling.BICUBIC)
    # Grain from the seeded generator (Pillow's effect_noise is not repeatable).
    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    return Image.blend(picture, grain.convert("RGB"), 0.03)


def _jpeg(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def illustration(palette: str, seed: int, size: tuple[int, int] = (1600, 900)) -> bytes:
    """An abstract stage-lit picture for a story."""
    return _jpeg(_paint(*size, palette, seed))


def portrait(palette: str, seed: int, size: int = 900) -> bytes:
    """A head-and-shoulders silhouette against the lights, for a headshot."""
    picture = _paint(size, size, palette, seed)
    dark = _rgb(PALETTES[palette][0])
    figure = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(figure)
    s = size / 100
    draw.ellipse((35 * s, 18 * s, 65 * s, 54 * s), fill=255)  # head
    draw.rounded_rectangle((14 * s, 62 * s, 86 * s, 130 * s), radius=30 * s, fill=255)  # shoulders
    draw.rectangle((44 * s, 50 * s, 56 * s, 66 * s), fill=255)  # neck
    figure = figure.filter(ImageFilter.GaussianBlur(size / 300))
    picture.paste(Image.new("RGB", (size, size), dark), (0, 0), figure)
    return _jpeg(picture)


def poster(palette: str, seed: int, title: str, size: tuple[int, int] = (1000, 1500)) -> bytes:
    """A 2:3 poster: the lights, a rule and the title in large type near the foot."""
    width, height = size
    picture = _paint(width, height, palette, seed)
    draw = ImageDraw.Draw(picture)
    highlight = _rgb(PALETTES[palette][3])
    margin = width // 12
    words = title.upper().split()
    lines, line = [], ""
    for word in words:  # at most ~12 characters a line
        candidate = f"{line} {word}".strip()
        if len(candidate) > 12 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    font = ImageFont.load_default(size=width // 8)
    step = int(width / 8 * 1.05)
    top = height - margin - step * len(lines)
    draw.rectangle(
        (margin, top - margin // 2, margin + width // 5, top - margin // 2 + 8), highlight
    )
    for n, text in enumerate(lines):
        draw.text(
            (margin, top + n * step),
            text,
            font=font,
            fill=(255, 255, 255),
            stroke_width=max(1, width // 400),
            stroke_fill=(255, 255, 255),
        )
    return _jpeg(picture)
