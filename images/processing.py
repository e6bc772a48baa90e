"""Image processing core for Newsroom: upload validation, stored masters and renditions.

Pure Python on Pillow, no Django imports, so it can be tested and benchmarked on its own and
called from a view, a form, a management command or a task queue alike.

The pipeline, and the trust boundary it enforces:

1. ``inspect(upload)`` decides whether an upload is an image we accept. It looks at content
   only (the file name and the browser's content type are attacker-controlled), refuses
   decompression bombs from the header before any pixel is decoded, then fully decodes the
   first frame so that truncated or corrupt files are refused at upload time rather than
   breaking later.
2. ``make_master(upload)`` validates exactly like ``inspect`` (one decode, not two) and
   produces the bytes we store: EXIF orientation applied, converted to
   sRGB, every piece of metadata dropped, re-encoded from pixels. Nothing the uploader wrote
   survives byte-for-byte, which is what defeats polyglots (a PNG that is also HTML or a ZIP)
   and leaks (GPS coordinates in EXIF).
3. ``render_all(master, info)`` turns a master into the responsive set readers get: widths
   for ``srcset`` in AVIF, WebP and a JPEG/PNG fallback, plus fixed-ratio crops around an
   editor-chosen focal point.

Every refusal is an ``ImageRejected`` whose message is written for an editor, not a developer.
docs/images.md has the decisions and limits; docs/benchmarks.md the numbers.
"""

import contextlib
import io
import math
import re
import struct
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import BinaryIO, Final

from PIL import (
    AvifImagePlugin,
    GifImagePlugin,
    Image,
    ImageCms,
    ImageFile,
    ImageOps,
    JpegImagePlugin,
    PngImagePlugin,
    UnidentifiedImageError,
    WebPImagePlugin,
)

__all__ = [
    "ALLOWED_FORMATS",
    "CROPS",
    "DEFAULT_CROPS",
    "DEFAULT_ENCODING",
    "MAX_ASPECT_RATIO",
    "MAX_BYTES",
    "MAX_PIXELS",
    "MIN_SIDE",
    "RENDITION_WIDTHS",
    "Crop",
    "Encoding",
    "ImageInfo",
    "ImageRejected",
    "Spec",
    "crop_box",
    "inspect",
    "iter_renditions",
    "make_master",
    "render_all",
    "rendition_specs",
]

# --------------------------------------------------------------------------------------------
# Limits and vocabulary
# --------------------------------------------------------------------------------------------

MAX_BYTES: Final = 20 * 1024 * 1024
MAX_PIXELS: Final = 40_000_000
# A side shorter than this cannot make a usable rendition and is usually a tracking pixel or
# a mistake; 16 px still admits favicons-sized logos.
MIN_SIDE: Final = 16
# Longest side / shortest side. 10:1 admits wide panoramas and tall infographics but refuses
# the 1 x 60000 strips that are only useful for attacking resizers and layouts.
MAX_ASPECT_RATIO: Final = 10

ALLOWED_FORMATS: Final = frozenset({"JPEG", "PNG", "WEBP", "AVIF", "GIF"})

MIME_TYPES: Final = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "AVIF": "image/avif",
    "GIF": "image/gif",
}
EXTENSIONS: Final = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif", "GIF": "gif"}

# Pillow plugin names passed to Image.open(formats=...). Restricting the plugin list means
# Pillow never even tries its parsers for TIFF, PSD, EPS (Ghostscript!) and the dozens of other
# formats it knows, which both narrows the attack surface and makes "content decides" literal.
_PILLOW_FORMATS: Final = ("JPEG", "PNG", "GIF", "WEBP", "AVIF")

# Multi-picture JPEGs (phones and stereo cameras) are reported by Pillow as "MPO"; for us they
# are JPEGs whose first picture is the photo.
_CANONICAL_FORMAT: Final = {"MPO": "JPEG"}

# Formats where more than one frame means animation. MPO is deliberately absent: its extra
# frames are depth maps or stereo pairs, not animation.
_ANIMATABLE: Final = frozenset({"GIF", "PNG", "WEBP", "AVIF"})

_ACCEPTED_LIST: Final = "a JPEG, PNG, WebP, AVIF or GIF photo"

RENDITION_WIDTHS: Final = (320, 640, 960, 1280, 1920)

_EXIF_ORIENTATION: Final = 0x0112


class ImageRejected(ValueError):
    """The upload is not an image we accept. ``str(exc)`` is a sentence for the editor."""


@dataclass(frozen=True)
class ImageInfo:
    """What we know about a validated image.

    ``width`` and ``height`` are as displayed, i.e. after EXIF orientation. ``has_alpha`` is
    True only when some pixel is actually transparent (an all-opaque alpha channel, common in
    exported PNGs, counts as opaque). ``animated`` describes the upload as received: masters and
    renditions always hold the first frame only.
    """

    format: str
    mime: str
    width: int
    height: int
    has_alpha: bool
    animated: bool

    @property
    def extension(self) -> str:
        """File extension without the dot, e.g. ``"jpg"``."""
        return EXTENSIONS[self.format]

    @property
    def megapixels(self) -> float:
        return self.width * self.height / 1_000_000


# --------------------------------------------------------------------------------------------
# Reading the upload
# --------------------------------------------------------------------------------------------

type Upload = bytes | bytearray | memoryview | BinaryIO


def _megabytes_label(n: int) -> str:
    # Rounded *up*, so a file just over the limit never reads as "20.0 MB; the limit is 20 MB".
    return f"{math.ceil(n / (1024 * 1024) * 10) / 10:,.1f} MB"


def _too_big(size: int | None) -> ImageRejected:
    limit = MAX_BYTES // (1024 * 1024)
    if size is None:
        return ImageRejected(
            f"This file is larger than the {limit} MB limit; please export it at a smaller "
            "size or with more compression."
        )
    return ImageRejected(
        f"This file is {_megabytes_label(size)}; the limit is {limit} MB. Please export it at a "
        "smaller size or with more compression."
    )


def _read_upload(fp: Upload) -> bytes:
    """Return the upload's bytes, refusing oversized files before reading more than the limit.

    The whole file is held in memory (at most MAX_BYTES): every decoder needs random access
    anyway, and it lets us make one consistent pass over a stream that might otherwise change
    between validation and storage.
    """
    if isinstance(fp, (bytes, bytearray, memoryview)):
        size = len(fp) if not isinstance(fp, memoryview) else fp.nbytes
        if size > MAX_BYTES:
            raise _too_big(size)
        data = bytes(fp)
    else:
        # Django's UploadedFile knows its size without reading it: refuse before any I/O.
        declared = getattr(fp, "size", None)
        if isinstance(declared, int) and declared > MAX_BYTES:
            raise _too_big(declared)
        # Django may already have read the upload (e.g. for content-type sniffing).
        seek = getattr(fp, "seek", None)
        if seek is not None:
            # A non-seekable stream raises; then read from where it is.
            with contextlib.suppress(OSError, ValueError):
                seek(0)
        chunks: list[bytes] = []
        total = 0
        # Loop because read(n) on raw or socket-backed streams may return fewer than n bytes.
        while total <= MAX_BYTES:
            chunk = fp.read(MAX_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_BYTES:
            raise _too_big(declared if isinstance(declared, int) else None)
        data = b"".join(chunks)
    if not data:
        raise ImageRejected("The file is empty (0 bytes); please choose the image file again.")
    return data


# --------------------------------------------------------------------------------------------
# Explaining refusals of things that are not images we accept
# --------------------------------------------------------------------------------------------

_HEIF_BRANDS: Final = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1"})


def _sniff_allowed(head: bytes) -> str | None:
    """Which accepted format the magic bytes claim to be, if any (used to word errors)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and (
        head[8:12] in (b"avif", b"avis") or b"avif" in head[16 : 16 + 4 * 16]
    ):
        return "AVIF"
    return None


def _describe_refused(data: bytes) -> str:
    """Turn content Pillow could not identify as an accepted format into an editor's sentence."""
    head = data[:4096]
    claimed = _sniff_allowed(head)
    if claimed is not None:
        return _damaged(claimed)

    what: str | None = None
    advice = f"upload {_ACCEPTED_LIST}."
    # Markup may start with a byte-order mark, whitespace, comments or an XML prolog.
    text = head.lstrip(b"\xef\xbb\xbf\xfe\xff\x00 \t\r\n").lower().replace(b"\x00", b"")
    if text.startswith(b"<"):
        # A web page that merely contains inline SVG is still a web page; an SVG file that
        # contains <script> is still an SVG drawing.
        if b"<html" in text or b"<!doctype html" in text:
            what = "a web page (HTML), not an image"
        elif b"<svg" in text:
            what = "an SVG drawing"
        elif any(tag in text for tag in (b"<script", b"<body", b"<head", b"<iframe")):
            what = "a web page (HTML), not an image"
        else:
            what = "an XML or markup document, not an image"
    elif head.startswith((b"II*\x00", b"MM\x00*")):
        what = "a TIFF or camera RAW image"
    elif head.startswith(b"BM"):
        what = "a BMP image"
    elif head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        what = "a HEIC photo (the iPhone format)"
        advice = f"export it as JPEG and upload it again, or upload {_ACCEPTED_LIST}."
    elif head.startswith(b"%PDF-"):
        what = "a PDF document"
    elif head.startswith((b"%!PS", b"\xc5\xd0\xd3\xc6")):
        what = "a PostScript/EPS file"
    elif head.startswith(b"8BPS"):
        what = "a Photoshop document"
    elif head.startswith(b"\x00\x00\x01\x00"):
        what = "an icon (ICO) file"
    elif head.startswith((b"\xff\x0a", b"\x00\x00\x00\x0cJXL ")):
        what = "a JPEG XL image"
    elif head.startswith(b"PK\x03\x04"):
        what = "a ZIP archive or Office document"
    elif head.startswith(b"\x1f\x8b"):
        what = "a compressed (gzip) file"
    elif _looks_like_text(head):
        what = "a text file, not an image"

    if what is None:
        return f"This file is not an image format we accept; {advice}"
    return f"This file is {what}; {advice}"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sniffed prefix is still text.
        return exc.start >= len(head) - 3
    return True


def _format_label(fmt: str) -> str:
    return {"WEBP": "WebP"}.get(fmt, fmt)


def _damaged(fmt: str | None, *, truncated: bool = False) -> str:
    if truncated:
        return "The file is damaged or incomplete (it ends early); please export it again."
    if fmt is None:
        return "The file is damaged and cannot be read as an image; please export it again."
    label = _format_label(fmt)
    article = "an" if label[0] in "AEIOU" else "a"
    return (
        f"The file is damaged and cannot be read as {article} {label} image; "
        "please export it again."
    )


# --------------------------------------------------------------------------------------------
# Opening and validating
# --------------------------------------------------------------------------------------------


def _megapixels_label(pixels: int) -> str:
    mp = pixels / 1_000_000
    if mp >= 100:
        return f"{mp:,.0f}"
    # Round *up* to one decimal so an image just over the limit never reads as "40 megapixels;
    # the limit is 40 megapixels".
    return f"{math.ceil(mp * 10) / 10:.1f}".removesuffix(".0")


def _too_many_pixels(width: int, height: int) -> ImageRejected:
    return ImageRejected(
        f"This image is {width:,} × {height:,} pixels "
        f"({_megapixels_label(width * height)} megapixels); "
        f"the limit is {MAX_PIXELS // 1_000_000} megapixels."
    )


def _check_geometry(width: int, height: int) -> None:
    """Refuse sizes that are dangerous (bombs) or useless (slivers) before decoding."""
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width, height)
    if min(width, height) < MIN_SIDE:
        raise ImageRejected(
            f"This image is {width:,} × {height:,} pixels; images must be at least "
            f"{MIN_SIDE} pixels on each side."
        )
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        ratio = max(width, height) / min(width, height)
        raise ImageRejected(
            f"This image is {width:,} × {height:,} pixels, which is too long and thin "
            f"(about {ratio:,.0f}:1); the longer side may be at most {MAX_ASPECT_RATIO} times "
            "the shorter one."
        )


# Constructing a plugin's ImageFile directly parses the header only and skips Image.open's
# global decompression-bomb check. Used solely to word the message when Image.open has
# already refused a bomb, so we never mutate Image.MAX_IMAGE_PIXELS to get the size.
_HEADER_READERS: Final[tuple[Callable[[BinaryIO], ImageFile.ImageFile], ...]] = (
    JpegImagePlugin.JpegImageFile,
    PngImagePlugin.PngImageFile,
    GifImagePlugin.GifImageFile,
    WebPImagePlugin.WebPImageFile,
    AvifImagePlugin.AvifImageFile,
)


def _header_size(data: bytes) -> tuple[int, int] | None:
    for reader in _HEADER_READERS:
        try:
            with reader(io.BytesIO(data)) as im:
                return im.size
        except Exception:  # any failure just means "not this format"
            continue
    return None


def _exif_orientation(im: Image.Image) -> int:
    """Orientation 1-8, treating unreadable EXIF as 'no orientation' rather than an error.

    Corrupt maker notes are common in real camera files and must not cost the editor the
    upload; the worst outcome is an unrotated picture they can see and fix.
    """
    try:
        value = im.getexif().get(_EXIF_ORIENTATION, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _declared_orientation(im: Image.Image) -> int:
    """Orientation from header metadata only; never triggers a decode (PNG's getexif can)."""
    raw = im.info.get("exif")
    if not raw:
        return 1
    try:
        exif = Image.Exif()
        exif.load(raw)
        value = exif.get(_EXIF_ORIENTATION, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _displayed(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    # Orientations 5-8 are the ones that involve a quarter turn.
    return (size[1], size[0]) if orientation >= 5 else size


# What a Pillow decode failure can look like: a truncated stream is OSError, a bad chunk or
# marker SyntaxError/ValueError, short reads struct.error/EOFError, and some malformed
# headers IndexError/TypeError/KeyError deep inside plugins.
_DECODE_ERRORS: Final = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    IndexError,
    TypeError,
    KeyError,
    ZeroDivisionError,
)


def _open_header(data: bytes) -> tuple[ImageFile.ImageFile, str]:
    """Open lazily (header only) and apply every limit that can be applied without decoding."""
    try:
        im = Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own (higher) limit fired inside open(). The warning variant arrives as an
        # exception only when warnings are configured as errors.
        size = _header_size(data)
        if size is None:
            raise ImageRejected(
                f"This image has far more than {MAX_PIXELS // 1_000_000} megapixels, the limit."
            ) from None
        raise _too_many_pixels(*size) from None
    except UnidentifiedImageError:
        raise ImageRejected(_describe_refused(data)) from None
    except _DECODE_ERRORS:
        raise ImageRejected(_damaged(_sniff_allowed(data[:64]))) from None

    fmt = _CANONICAL_FORMAT.get(im.format or "", im.format or "")
    if fmt not in ALLOWED_FORMATS:  # unreachable with formats=..., kept as a tripwire
        im.close()
        raise ImageRejected(f"This file is not an image format we accept; upload {_ACCEPTED_LIST}.")
    try:
        _check_geometry(*_displayed(im.size, _declared_orientation(im)))
    except ImageRejected:
        im.close()
        raise
    return im, fmt


# --------------------------------------------------------------------------------------------
# A name that lies, and content hidden beside the picture (polyglots)
# --------------------------------------------------------------------------------------------

_NAME_EXTENSIONS: Final = {
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "jpe": "JPEG",
    "jfif": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WEBP",
    "avif": "AVIF",
}


def _check_name(name: str | None, fmt: str) -> None:
    """Refuse a name whose extension claims another accepted format than the content has.

    The content alone decides what the file is and how it is stored; the name is only compared
    with it. A PNG called ``.jpg`` is harmless to us (it is re-encoded as what it really is),
    but it is the classic disguise for files meant to be mis-served by the next system that
    trusts names, and an honest file never needs it: renaming takes the editor seconds.
    Names without an extension, or with one we do not know, are not second-guessed.
    """
    if not name:
        return
    stem, dot, extension = name.rpartition("/")[2].rpartition("\\")[2].rpartition(".")
    claimed = _NAME_EXTENSIONS.get(extension.lower()) if dot and stem else None
    if claimed is None or claimed == fmt:
        return
    real = _format_label(fmt)
    raise ImageRejected(
        f"This file is a {real} image, but its name ends in “.{extension}”. Rename it to end "
        f"in .{EXTENSIONS[fmt]} (or save it as a {_format_label(claimed)} in your photo "
        "editor) and upload it again."
    )


# Markup that no camera, phone or photo editor writes into an image, searched for in the whole
# file. Each is long or specific enough that compressed pixel data does not produce it by
# chance (for "<script", about 1 in 10^8 for a 20 MB file); "<svg" or "<?php" alone would not
# be, so they are only looked for in metadata (below).
_MARKUP_ANYWHERE: Final = (b"<script", b"<iframe", b"<!doctype", b"javascript:")
_HTML_TAG: Final = re.compile(rb"<(?:html|body)[\s>]")
# Metadata (PNG chunks other than pixel data, JPEG segments before the pixel data, anything
# after a PNG's end) is mostly text, so broader patterns are affordable there. Still not bare
# "<svg" or "<img": an EXIF thumbnail is 64 KB of compressed data, where four given bytes turn
# up in about one photo in 8,000; requiring the delimiter after the tag name fixes that.
_MARKUP_IN_METADATA: Final = re.compile(
    rb"<(?:html|body|svg|img|object|embed|script|iframe|math)[\s/>]"
    rb"|<\?php|<!doctype|javascript:|\bon(?:load|error|click|mouseover)\s*="
)
_TEXT_CHUNK_LIMIT: Final = 1024 * 1024  # decompress at most this much of a zTXt/iTXt chunk


def _check_hidden_content(data: bytes, fmt: str) -> None:
    """Refuse polyglots: files that are a valid picture *and* something else.

    A PNG that is also a web page or a ZIP (a JAR, an Office file), or a JPEG carrying script,
    exists only to be mis-served or mis-opened by something downstream. Readers never get these
    bytes (the master is re-encoded from pixels, which drops them), so this is defence in
    depth, and an early, plain answer for the editor. Cheap: no decoding, ~25 ms for 8 MB.
    """
    hidden = _hidden_content(data, fmt)
    if hidden:
        raise ImageRejected(
            f"This file has {hidden} hidden in it besides the picture, which is how disguised "
            "files are made. Open the picture in a photo editor, export it again, and upload "
            "that copy."
        )


def _hidden_content(data: bytes, fmt: str) -> str | None:
    if _is_zip(data):
        return "a ZIP archive"
    if b"%PDF-" in data[:1024]:  # PDF readers look for the header anywhere in the first 1 KB
        return "a PDF document"
    lowered = data.lower()
    if any(marker in lowered for marker in _MARKUP_ANYWHERE) or _HTML_TAG.search(lowered):
        return "web page code"
    for region in _metadata_regions(data, fmt):
        if _MARKUP_IN_METADATA.search(region.lower()):
            return "web page code"
    return None


def _is_zip(data: bytes) -> bool:
    """A ZIP end-of-central-directory record that ends exactly at the end of the file.

    That is what ZIP readers look for (they read archives from the end), and unlike a bare
    ``PK`` signature it does not turn up by chance in compressed pixel data.
    """
    floor = max(0, len(data) - 22 - 0xFFFF)
    pos = data.rfind(b"PK\x05\x06", floor)
    while pos != -1:
        comment = int.from_bytes(data[pos + 20 : pos + 22], "little")
        if len(data[pos : pos + 22]) == 22 and pos + 22 + comment == len(data):
            return True
        pos = data.rfind(b"PK\x05\x06", floor, pos)
    return False


def _metadata_regions(data: bytes, fmt: str) -> Iterator[bytes]:
    if fmt == "PNG":
        yield from _png_metadata(data)
    elif fmt == "JPEG":
        yield from _jpeg_metadata(data)


def _png_metadata(data: bytes) -> Iterator[bytes]:
    """Every chunk but pixel data, text chunks decompressed, and anything after IEND."""
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind in (b"IDAT", b"fdAT"):
            continue
        yield body
        if kind == b"zTXt":
            yield _inflate(body.partition(b"\x00")[2][1:])
        elif kind == b"iTXt":
            rest = body.partition(b"\x00")[2]
            if rest[:1] == b"\x01":  # compressed
                text = rest[2:].split(b"\x00", 2)[-1]
                yield _inflate(text)
        if kind == b"IEND":
            break
    yield data[pos:]


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, _TEXT_CHUNK_LIMIT)
    except zlib.error:
        return b""


def _jpeg_metadata(data: bytes) -> Iterator[bytes]:
    """The segments before the first scan: APPn (EXIF, XMP, ICC…), comments, tables."""
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD9)):  # markers without a length
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: pixel data follows
            return
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        yield data[pos + 4 : pos + 2 + length]
        pos += 2 + length


def _is_animated(im: ImageFile.ImageFile, fmt: str) -> bool:
    if fmt not in _ANIMATABLE:
        return False
    try:
        # GIF finds out by parsing the next frame's header; nothing is decoded.
        return bool(getattr(im, "is_animated", False))
    except _DECODE_ERRORS:
        # A broken second frame is irrelevant: we only ever use the first one.
        return False


def _decode_first_frame(im: ImageFile.ImageFile, fmt: str) -> None:
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Some other code flipped Pillow's global switch; with it on, truncated files decode
        # "successfully" as grey and our guarantee is gone. Fail loudly instead of silently.
        msg = (
            "PIL.ImageFile.LOAD_TRUNCATED_IMAGES is True; images.processing requires it to be "
            "False so that damaged uploads are refused."
        )
        raise RuntimeError(msg)
    try:
        im.seek(0)
        im.load()
    except Image.DecompressionBombError:
        raise _too_many_pixels(*im.size) from None
    except _DECODE_ERRORS as exc:
        truncated = "truncated" in str(exc) or isinstance(exc, EOFError)
        raise ImageRejected(_damaged(fmt, truncated=truncated)) from None
    # A frame may have a different size than the header announced (GIF frames can).
    _check_geometry(*im.size)


def _uses_alpha(im: Image.Image) -> bool:
    """True if at least one pixel is not fully opaque."""
    if not im.has_transparency_data:
        return False
    alpha = im.getchannel("A") if "A" in im.getbands() else im.convert("RGBA").getchannel("A")
    low, _ = alpha.getextrema()
    return low < 255


def _load_upload(fp: Upload, name: str | None) -> tuple[ImageFile.ImageFile, str, bool]:
    data = _read_upload(fp)
    im, fmt = _open_header(data)
    try:
        _check_name(name, fmt)
        _check_hidden_content(data, fmt)
        animated = _is_animated(im, fmt)
        _decode_first_frame(im, fmt)
    except BaseException:
        im.close()
        raise
    return im, fmt, animated


def inspect(fp: Upload, *, name: str | None = None) -> ImageInfo:
    """Validate an upload by content and describe it; raise ImageRejected if unacceptable.

    ``fp`` is ``bytes`` or a binary file-like object (Django's ``UploadedFile`` and ``File``
    work: the declared ``size`` is checked before reading, and the stream is rewound first).
    The name of the file is never looked at. The first frame is fully decoded, so this costs
    about as much CPU as opening the image (≈0.3 s for a 24 MP JPEG).

    ``name``, if given, is the file name the upload arrived with. It never decides the format;
    a name whose extension claims a *different* accepted format than the content is refused
    (see ``_check_name``).
    """
    im, fmt, animated = _load_upload(fp, name)
    with im:
        width, height = _displayed(im.size, _exif_orientation(im))
        return ImageInfo(
            format=fmt,
            mime=MIME_TYPES[fmt],
            width=width,
            height=height,
            has_alpha=_uses_alpha(im),
            animated=animated,
        )


# --------------------------------------------------------------------------------------------
# Masters
# --------------------------------------------------------------------------------------------

_SRGB: Final = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    try:
        description = ImageCms.getProfileDescription(profile)
    except ImageCms.PyCMSError:
        return False
    return "srgb" in description.lower()


def _to_8bit(im: Image.Image) -> Image.Image:
    """Scale 16/32-bit greyscale to 8 bits; Pillow's plain convert() would clip, not scale."""
    if im.mode in ("I", "F") or im.mode.startswith("I;16"):
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return im


def _to_srgb(im: Image.Image) -> Image.Image:
    """Convert pixels described by an embedded ICC profile to sRGB.

    The stored master and all renditions carry no profile at all: untagged images are treated
    as sRGB by browsers, so converting once here and dropping the profile keeps colours right
    (Display P3 and Adobe RGB photos would otherwise look washed out or shifted once the
    profile is stripped) and saves the profile's bytes on every rendition.
    """
    icc = im.info.get("icc_profile")
    if not icc:
        return im
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return im  # unreadable profile: treat the pixels as sRGB, like a browser would
    if _is_srgb(profile):
        return im
    alpha = None
    source = im
    if im.mode in ("LA", "La", "PA", "P", "RGBa", "1"):
        # LittleCMS only handles plain colour modes; carry the alpha band around it.
        if im.has_transparency_data:
            rgba = im.convert("RGBA")
            alpha = rgba.getchannel("A")
        base_mode = "L" if im.mode in ("LA", "La", "1") else "RGB"
        source = im.convert(base_mode)
    elif im.mode not in ("RGB", "RGBA", "L", "CMYK"):
        return im
    out_mode = "RGBA" if source.mode == "RGBA" else "RGB"
    try:
        converted = ImageCms.profileToProfile(
            source,
            profile,
            _SRGB,
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode=out_mode,
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        # The profile does not match the pixel layout (e.g. a CMYK profile on RGB data).
        return im
    assert converted is not None
    if alpha is not None:
        converted = converted.convert("RGBA")
        converted.putalpha(alpha)
    return converted


def _normalise(im: Image.Image) -> tuple[Image.Image, bool]:
    """Oriented, sRGB, 8-bit RGB or RGBA pixels with no metadata; and whether alpha is used.

    Works in place where it can and converts only when the mode requires it: for a 40 MP
    RGBA upload every avoidable copy is 160 MB of peak memory.
    """
    _exif_transpose_in_place(im)
    pixels = _to_srgb(_to_8bit(im))
    has_alpha = False
    if pixels.mode == "RGBA" or pixels.has_transparency_data:
        rgba = pixels if pixels.mode == "RGBA" else pixels.convert("RGBA")
        has_alpha = rgba.getchannel("A").getextrema()[0] < 255
        pixels = rgba if has_alpha else rgba.convert("RGB")
    elif pixels.mode != "RGB":
        pixels = pixels.convert("RGB")
    # The single place metadata dies: EXIF (GPS, serial numbers), XMP, IPTC, comments, ICC,
    # PNG text chunks. Encoders only write what is in .info or passed explicitly, so an empty
    # .info plus explicit encoder arguments means nothing from the upload can be carried over.
    pixels.info = {}
    return pixels, has_alpha


def _exif_transpose_in_place(im: Image.Image) -> None:
    if _exif_orientation(im) == 1:
        return
    # In place, so the unrotated frame is freed as soon as the rotated one exists.
    with contextlib.suppress(Exception):  # broken EXIF must not cost the editor the upload
        ImageOps.exif_transpose(im, in_place=True)


def _webp_is_lossless(data: bytes) -> bool:
    """Whether the first image chunk in a WebP RIFF is VP8L (lossless) rather than VP8."""
    pos, end = 12, min(len(data), 12 + 1024 * 1024)
    while pos + 8 <= end:
        fourcc = data[pos : pos + 4]
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        if fourcc == b"VP8L":
            return True
        if fourcc == b"VP8 ":
            return False
        if fourcc == b"ANMF":
            pos += 8 + 16  # frame header; the frame's own chunks follow
            continue
        pos += 8 + size + (size & 1)
    return False


def _encode_master(pixels: Image.Image, fmt: str, data: bytes) -> tuple[bytes, str]:
    buf = io.BytesIO()
    if fmt == "JPEG":
        # q90 4:2:0: the largest rendition is ≤ 1920 px, so chroma at half of a 24 MP master's
        # resolution is still above what any reader sees, and the file stays ~1/3 smaller than
        # 4:4:4. optimize only reorders Huffman tables: smaller, lossless, cheap.
        pixels.save(buf, "JPEG", quality=90, optimize=True)
        return buf.getvalue(), "JPEG"
    # Encoder effort for WebP and AVIF masters is chosen from measurements on a 24 MP photo
    # (docs/images.md): WebP method 2 matches method 4's PSNR and size within 2% at 1/6 of the CPU,
    # and AVIF speed 9 matches speed 8 (and costs 1/7 of speed 6) at q90. Slower presets
    # would keep an editor waiting for several seconds for no visible gain.
    if fmt == "WEBP":
        if _webp_is_lossless(data):
            # Lossless stays lossless: such files are screenshots and graphics, where lossy
            # coding smears text. For lossless, quality is effort, not fidelity.
            pixels.save(buf, "WEBP", lossless=True, quality=50, method=2)
        else:
            pixels.save(buf, "WEBP", quality=90, method=2)
        return buf.getvalue(), "WEBP"
    if fmt == "AVIF":
        pixels.save(buf, "AVIF", quality=90, speed=9, max_threads=1)
        return buf.getvalue(), "AVIF"
    # PNG, and GIF's first frame: lossless in, lossless out. GIF becomes PNG because a static
    # frame gains nothing from GIF's 256-colour limit and PNG is what our renderer prefers.
    pixels.save(buf, "PNG", compress_level=6)
    return buf.getvalue(), "PNG"


def make_master(fp: Upload, *, name: str | None = None) -> tuple[bytes, ImageInfo]:
    """Validate the upload and produce the bytes to store as the master.

    The master is the first frame, EXIF orientation applied, converted to sRGB, stripped of
    all metadata and re-encoded in its own format family (GIF becomes PNG). The returned
    ``ImageInfo`` describes the master (its ``format``/``mime`` are the master's, so GIF
    uploads report PNG), except ``animated``, which records whether the upload was animated.
    Raises ImageRejected exactly like ``inspect`` (``name`` as there).
    """
    data = _read_upload(fp)
    im, fmt = _open_header(data)
    with im:
        _check_name(name, fmt)
        _check_hidden_content(data, fmt)
        animated = _is_animated(im, fmt)
        _decode_first_frame(im, fmt)
        # For the common case (an upright sRGB RGB JPEG) `pixels` is `im` itself: no copy of
        # a 24 MP frame is made, so encoding must happen before the `with` closes `im`.
        pixels, has_alpha = _normalise(im)
        encoded, master_format = _encode_master(pixels, fmt, data)
    info = ImageInfo(
        format=master_format,
        mime=MIME_TYPES[master_format],
        width=pixels.width,
        height=pixels.height,
        has_alpha=has_alpha,
        animated=animated,
    )
    return encoded, info


# --------------------------------------------------------------------------------------------
# Crops
# --------------------------------------------------------------------------------------------

type Ratio = float | int | Fraction | tuple[int, int]


def _as_fraction(ratio: Ratio) -> Fraction:
    if isinstance(ratio, tuple):
        value = Fraction(ratio[0], ratio[1])
    elif isinstance(ratio, Fraction):
        value = ratio
    else:
        if not math.isfinite(ratio):
            msg = f"ratio must be finite, got {ratio!r}"
            raise ValueError(msg)
        value = Fraction(ratio).limit_denominator(10_000)
    if value <= 0:
        msg = f"ratio must be positive, got {ratio!r}"
        raise ValueError(msg)
    return value


def _check_focal(focal: tuple[float, float]) -> tuple[float, float]:
    fx, fy = focal
    if not (0.0 <= fx <= 1.0 and 0.0 <= fy <= 1.0):  # also false for NaN
        msg = f"focal point must be two fractions between 0 and 1, got {focal!r}"
        raise ValueError(msg)
    return float(fx), float(fy)


def _round(x: float | Fraction) -> int:
    # Half-up, not Python's banker's rounding: crop positions must not jitter with parity.
    return math.floor(x + Fraction(1, 2)) if isinstance(x, Fraction) else math.floor(x + 0.5)


def _place(total: int, size: int, focus: float) -> int:
    start = _round(focus * total - size / 2)
    return min(max(start, 0), total - size)


def crop_box(
    width: int, height: int, ratio: Ratio, focal: tuple[float, float] = (0.5, 0.5)
) -> tuple[int, int, int, int]:
    """The largest ``ratio`` (width/height) box inside the image, centred on the focal point.

    ``focal`` is (x, y) as fractions of the image, (0, 0) top left. The box is shifted only as
    far as needed to stay inside the image, so the focal point is as central as the bounds
    allow. Returns Pillow's (left, top, right, bottom) in integer pixels.
    """
    if width < 1 or height < 1:
        msg = f"image size must be positive, got {width}x{height}"
        raise ValueError(msg)
    r = _as_fraction(ratio)
    fx, fy = _check_focal(focal)
    if width * r.denominator > height * r.numerator:  # image wider than ratio: full height
        box_h = height
        box_w = min(width, max(1, _round(height * r)))
    else:  # image taller (or exact): full width
        box_w = width
        box_h = min(height, max(1, _round(width / r)))
    left = _place(width, box_w, fx)
    top = _place(height, box_h, fy)
    return left, top, left + box_w, top + box_h


@dataclass(frozen=True)
class Crop:
    """A named fixed-ratio crop.

    ``widths`` follow the never-upscale rule of the plain widths, unless ``exact`` is set:
    then the single size ``widths[0]`` × ``height`` is always produced (upscaling if the
    source is small), because consumers such as Open Graph require it.
    """

    name: str
    ratio: Fraction
    widths: tuple[int, ...]
    exact: bool = False
    formats: tuple[str, ...] | None = None  # None: AVIF, WebP and the JPEG/PNG fallback

    def height_for(self, width: int) -> int:
        return max(1, _round(width / self.ratio))


CROPS: Final[dict[str, Crop]] = {
    # 16:9 matches video stills and trailer thumbnails, which entertainment cards mix with
    # photos; widths cover a 1/2/3-column grid at 1x and 2x.
    "card": Crop("card", Fraction(16, 9), (320, 640, 960)),
    # Headshots on person pages and bylines are small; 640 covers a 320 px slot at 2x.
    "square": Crop("square", Fraction(1, 1), (160, 320, 640)),
    # Film and series posters.
    "poster": Crop("poster", Fraction(2, 3), (320, 640)),
    # Facebook/LinkedIn/X preview: exactly 1200×630, JPEG only (crawlers' lowest common
    # denominator; several ignore WebP/AVIF and transparency).
    "og": Crop("og", Fraction(1200, 630), (1200,), exact=True, formats=("jpeg",)),
}
DEFAULT_CROPS: Final = tuple(CROPS)


# --------------------------------------------------------------------------------------------
# Rendition specs
# --------------------------------------------------------------------------------------------

_FORMAT_MIME: Final = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
_FORMAT_EXT: Final = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}


@dataclass(frozen=True)
class Spec:
    """One rendition: ``name`` ("w640", "card-w640", "og") × ``format``.

    ``name`` identifies the pixels (size and crop); the same name exists in several formats.
    ``key`` ("card-w640.avif") is unique within a set and suitable as a storage file name.
    """

    name: str
    crop: str | None
    width: int
    height: int
    format: str  # "avif" | "webp" | "jpeg" | "png"

    @property
    def mime(self) -> str:
        return _FORMAT_MIME[self.format]

    @property
    def extension(self) -> str:
        return _FORMAT_EXT[self.format]

    @property
    def key(self) -> str:
        return f"{self.name}.{self.extension}"


def _ladder(available: int, ladder: Sequence[int]) -> list[int]:
    """Ladder widths that fit, plus the available width itself if it is below the top rung.

    An 800 px image gets 320, 640 and 800: the browser can still pick the sharpest version
    and we never invent pixels.
    """
    widths = [w for w in ladder if w <= available]
    if available < max(ladder) and available not in widths:
        widths.append(available)
    return widths


def _formats(has_alpha: bool, crop: Crop | None) -> tuple[str, ...]:
    if crop is not None and crop.formats is not None:
        return crop.formats
    return ("avif", "webp", "png" if has_alpha else "jpeg")


def _crop(name: str) -> Crop:
    try:
        return CROPS[name]
    except KeyError:
        msg = f"unknown crop {name!r}; known crops: {', '.join(CROPS)}"
        raise ValueError(msg) from None


def _sizes_for(width: int, height: int, crop: Crop | None) -> list[tuple[str, int, int]]:
    """(name, width, height) for one group, ascending."""
    if crop is None:
        return [
            (f"w{w}", w, height if w == width else max(1, _round(Fraction(w * height, width))))
            for w in _ladder(width, RENDITION_WIDTHS)
        ]
    left, top, right, bottom = crop_box(width, height, crop.ratio)
    box_w, box_h = right - left, bottom - top
    if crop.exact:
        return [(crop.name, crop.widths[0], crop.height_for(crop.widths[0]))]
    return [
        (f"{crop.name}-w{w}", w, box_h if w == box_w else crop.height_for(w))
        for w in _ladder(box_w, crop.widths)
    ]


def rendition_specs(
    width: int,
    height: int,
    has_alpha: bool,
    crops: Sequence[str] = DEFAULT_CROPS,
    *,
    widths: bool = True,
) -> list[Spec]:
    """Every rendition for an image of this displayed size, in a stable order.

    Plain widths first (ascending; omitted with ``widths=False``), then each crop in
    ``crops`` order (ascending); within a size: AVIF, WebP, then the fallback (JPEG, or PNG
    when ``has_alpha``). The list does not depend on the focal point, so it can be computed
    before the editor picks one, and a focal-point change only invalidates the crops.
    """
    specs: list[Spec] = []
    groups = [None] if widths else []
    for crop in [*groups, *(_crop(name) for name in crops)]:
        for name, w, h in _sizes_for(width, height, crop):
            for fmt in _formats(has_alpha, crop):
                specs.append(Spec(name, crop.name if crop else None, w, h, fmt))
    return specs


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Encoding:
    """Encoder settings for renditions. The defaults meet the targets in docs/benchmarks.md.

    Effort is split by output area (``small_pixels``): encoder cost grows with area, and the
    small renditions that fill listing pages are cheap enough to afford slower, tighter
    presets. Measured on photographic content (see docs/images.md):

    * AVIF: libaom speed 9 gives the same size and PSNR as speed 8 at a third of the CPU;
      speed 6 is only ~0.5 dB better for ~10x the CPU of 9.
    * WebP: method 2 is ~5% larger than method 4 for half the CPU. WebP is the middle
      fallback: every browser that decodes AVIF gets AVIF, so WebP bytes matter least.
    """

    small_pixels: int = 250_000
    avif_quality: int = 60
    avif_speed: int = 9
    avif_speed_small: int = 7
    # One encoder thread: renditions are batch work, parallelise across jobs rather than
    # oversubscribe cores inside one. Raise it when an editor waits for the result.
    avif_max_threads: int = 1
    webp_quality: int = 80
    webp_method: int = 2
    webp_method_small: int = 4
    jpeg_quality: int = 82
    og_jpeg_quality: int = 85
    # PNG is the fallback only for transparent images in browsers without WebP: level 3 is
    # ~2% larger than 6 for a third less CPU.
    png_compress_level: int = 3


DEFAULT_ENCODING: Final = Encoding()


@contextlib.contextmanager
def _timed(timings: dict[str, float] | None, key: str) -> Iterator[None]:
    if timings is None:
        yield
        return
    start = time.process_time()
    try:
        yield
    finally:
        timings[key] = timings.get(key, 0.0) + time.process_time() - start


def _encode(im: Image.Image, spec: Spec, enc: Encoding) -> bytes:
    buf = io.BytesIO()
    small = spec.width * spec.height < enc.small_pixels
    if spec.format == "avif":
        im.save(
            buf,
            "AVIF",
            quality=enc.avif_quality,
            speed=enc.avif_speed_small if small else enc.avif_speed,
            max_threads=enc.avif_max_threads,
        )
    elif spec.format == "webp":
        method = enc.webp_method_small if small else enc.webp_method
        im.save(buf, "WEBP", quality=enc.webp_quality, method=method)
    elif spec.format == "jpeg":
        if im.mode != "RGB":
            im = _flatten(im)
        quality = enc.og_jpeg_quality if spec.crop == "og" else enc.jpeg_quality
        # Progressive: smaller at these sizes and shows a preview early on slow connections.
        im.save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
    elif spec.format == "png":
        im.save(buf, "PNG", compress_level=enc.png_compress_level)
    else:  # pragma: no cover - Spec formats come from this module
        msg = f"unknown rendition format {spec.format!r}"
        raise ValueError(msg)
    return buf.getvalue()


def _flatten(im: Image.Image) -> Image.Image:
    """Composite transparency onto white, for JPEG outputs (the Open Graph image)."""
    if not im.has_transparency_data:
        return im.convert("RGB")
    rgba = im.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def _open_master(master: bytes, info: ImageInfo) -> ImageFile.ImageFile:
    im, _ = _open_header(master)
    if im.size != (info.width, info.height):
        im.close()
        msg = f"master is {im.size[0]}x{im.size[1]} but info says {info.width}x{info.height}"
        raise ValueError(msg)
    return im


def _needed_scale(width: int, height: int, specs: Sequence[Spec]) -> float:
    """The smallest fraction of full resolution from which every spec can be made."""
    scale = 0.0
    for spec in specs:
        crop = CROPS.get(spec.crop) if spec.crop else None
        if crop is None:
            src_w, src_h = width, height
        else:
            left, top, right, bottom = crop_box(width, height, crop.ratio)
            src_w, src_h = right - left, bottom - top
        scale = max(scale, spec.width / src_w, spec.height / src_h)
    return min(scale, 1.0)


def iter_renditions(
    master: bytes,
    info: ImageInfo,
    focal: tuple[float, float] = (0.5, 0.5),
    crops: Sequence[str] = DEFAULT_CROPS,
    *,
    widths: bool = True,
    encoding: Encoding = DEFAULT_ENCODING,
    timings: dict[str, float] | None = None,
) -> Iterator[tuple[Spec, bytes]]:
    """Yield ``(spec, bytes)`` one at a time, so callers can store each and let it go.

    Yields in processing order (largest first within each group), which differs from
    ``rendition_specs`` order; ``render_all`` restores the latter. ``timings``, if given,
    accumulates CPU seconds under "decode", "resize", "avif", "webp", "jpeg" and "png".
    """
    focal = _check_focal(focal)
    specs = rendition_specs(info.width, info.height, info.has_alpha, crops, widths=widths)
    if not specs:
        return
    with _timed(timings, "decode"):
        im = _open_master(master, info)
        need = _needed_scale(info.width, info.height, specs)
        if im.format == "JPEG" and need < 1:
            # libjpeg can decode at 1/2, 1/4 or 1/8 scale directly from DCT coefficients,
            # which is several times cheaper than a full decode followed by a resize.
            # draft() picks the smallest scale that is still >= the requested size.
            im.draft("RGB", (math.ceil(info.width * need), math.ceil(info.height * need)))
        try:
            im.load()
        except _DECODE_ERRORS as exc:
            msg = "the stored master could not be decoded"
            raise ValueError(msg) from exc
        base: Image.Image = im
        # Other formats have no scaled decode; an integer box reduction right after decoding
        # is the equivalent, so every later resize reads a base a quarter (or less) the size.
        factor = min(8, math.floor(1 / need)) if need > 0 else 1
        if factor >= 2 and base.size == (info.width, info.height):
            base = base.reduce(factor)
        # Resizing RGBA makes Pillow premultiply the whole source on every call; premultiply
        # once ("RGBa") and un-premultiply each small output instead.
        if info.has_alpha:
            base = (base if base.mode == "RGBA" else base.convert("RGBA")).convert("RGBa")
        elif base.mode != "RGB":
            base = base.convert("RGB")
        if base is not im:
            # Free the full-size decode now rather than when the generator finishes: for a
            # 40 MP RGBA master that is 160 MB off the peak while encoders run.
            im.close()
        del im
    base.info = {}
    sx, sy = base.width / info.width, base.height / info.height

    groups: dict[str | None, list[Spec]] = {}
    for spec in specs:
        groups.setdefault(spec.crop, []).append(spec)

    for crop_name, group in groups.items():
        if crop_name is None:
            box: tuple[float, float, float, float] = (0, 0, base.width, base.height)
        else:
            left, top, right, bottom = crop_box(
                info.width, info.height, CROPS[crop_name].ratio, focal
            )
            box = (left * sx, top * sy, right * sx, bottom * sy)
        by_size: dict[tuple[int, int], list[Spec]] = {}
        for spec in group:
            by_size.setdefault((spec.width, spec.height), []).append(spec)
        made: list[Image.Image] = []  # this group's outputs so far, largest first
        for (w, h), same_size in sorted(by_size.items(), reverse=True):
            with _timed(timings, "resize"):
                out = _resize_from(base, box, made, w, h)
                pixels = out.convert("RGBA") if out.mode == "RGBa" else out
            for spec in same_size:
                with _timed(timings, spec.format):
                    data = _encode(pixels, spec, encoding)
                yield spec, data
            made.append(out)
        del made


def _resize_from(
    base: Image.Image,
    box: tuple[float, float, float, float],
    made: list[Image.Image],
    w: int,
    h: int,
) -> Image.Image:
    """Resize from the smallest earlier output at least twice the target, else from base.

    Pillow's resampling is properly anti-aliased at any ratio, so the only price of starting
    from an intermediate is one extra filter pass. Requiring at least 2x keeps that pass's
    softening below half an output pixel, while costing a fraction of going back to the
    multi-megapixel base for every size.
    """
    for candidate in reversed(made):  # smallest first
        if candidate.width >= 2 * w and candidate.height >= 2 * h:
            return candidate.resize((w, h), Image.Resampling.LANCZOS)
    if (w, h) == base.size and box == (0, 0, base.width, base.height):
        return base
    return base.resize((w, h), Image.Resampling.LANCZOS, box=box)


def render_all(
    master: bytes,
    info: ImageInfo,
    focal: tuple[float, float] = (0.5, 0.5),
    crops: Sequence[str] = DEFAULT_CROPS,
    *,
    widths: bool = True,
    encoding: Encoding = DEFAULT_ENCODING,
    timings: dict[str, float] | None = None,
) -> list[tuple[Spec, bytes]]:
    """The full rendition set for a master, in ``rendition_specs`` order.

    ``master``/``info`` are what ``make_master`` returned. The master is decoded once (for
    JPEG at the smallest DCT scale that still covers every output) and each size is made
    from the smallest adequate intermediate. Peak memory is one decoded base plus a few
    renditions; the returned bytes total a few MB. After a focal-point change, pass
    ``widths=False`` to redo only the crops.
    """
    specs = rendition_specs(info.width, info.height, info.has_alpha, crops, widths=widths)
    order = {spec: i for i, spec in enumerate(specs)}
    results = list(
        iter_renditions(
            master, info, focal, crops, widths=widths, encoding=encoding, timings=timings
        )
    )
    results.sort(key=lambda item: order[item[0]])
    return results
