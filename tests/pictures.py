"""Generated pictures for tests: small, photo-like, made in memory."""

import io
import random

from PIL import Image as PILImage


def photo(width: int = 900, height: int = 600, seed: int = 5) -> PILImage.Image:
    """A small photo-ish picture: gradients, shapes and noise (encoders do real work)."""
    rng = random.Random(seed)
    grad = PILImage.linear_gradient("L").resize((width, height))
    noise = PILImage.effect_noise((width, height), 25)
    im = PILImage.merge(
        "RGB",
        [
            PILImage.blend(grad, noise, 0.3),
            grad.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT),
            noise,
        ],
    )
    im.paste((rng.randrange(256), 40, 40), (width // 3, height // 3, width // 2, height // 2))
    return im


def encode(im: PILImage.Image, fmt: str = "JPEG", **params) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()
