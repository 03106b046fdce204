"""Checking and cleaning applicants' uploads before anything is written to disk.

The file's name and the browser's content type are not trusted: the bytes decide. JPEG and PNG must
open, verify and decode fully in Pillow (a truncated or disguised file fails), stay under Pillow's
decompression-bomb limit (its warning is treated as an error), and are re-encoded so that EXIF (GPS
position, camera serial) and other metadata never reach storage. A PDF must start with ``%PDF-`` and
end with ``%%EOF``; it is stored as uploaded and only ever served as a download.
"""
import io
import os
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
_MAGIC = ((b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG), (b"%PDF-", PDF))
_PIL_FORMAT = {JPEG: "JPEG", PNG: "PNG"}
EXTENSIONS = {JPEG: "jpg", PNG: "png", PDF: "pdf"}
#: The PDF trailer may be followed by a little whitespace or junk; the spec's readers look this far back.
_PDF_TRAILER_WINDOW = 1024


@dataclass(frozen=True)
class CleanUpload:
    content: bytes
    content_type: str
    extension: str
    original_name: str

    @property
    def size(self):
        return len(self.content)


def sniff_content_type(head):
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def clean_upload(upload):
    """Return a ``CleanUpload`` for an uploaded file, or raise ``ValidationError`` with the reason."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("The file is too large; the limit is %(limit)s.") % {"limit": filesizeformat(limit)},
                              code="file_too_large")
    content_type = sniff_content_type(data[:8])
    if content_type is None:
        raise ValidationError(
            _("Only JPEG, PNG or PDF files are accepted; this file's content is not one of them "
              "(renaming a file does not change its type)."),
            code="file_type",
        )
    if content_type == PDF:
        _check_pdf(data)
    else:
        data = _reencode_image(data, _PIL_FORMAT[content_type])
    name = os.path.basename(getattr(upload, "name", "") or "")[:200] or "tai-lieu"
    return CleanUpload(content=data, content_type=content_type, extension=EXTENSIONS[content_type],
                       original_name=name)


def _check_pdf(data):
    if b"%%EOF" not in data[-_PDF_TRAILER_WINDOW:]:
        raise ValidationError(_("This PDF file is incomplete or damaged (it has no end-of-file marker)."),
                              code="pdf_truncated")


def _reencode_image(data, pil_format):
    damaged = ValidationError(_("This image is damaged or incomplete; please scan or photograph it again."),
                              code="image_damaged")
    too_big = ValidationError(
        _("This image has too many pixels (more than %(limit)s million); please send a smaller picture.")
        % {"limit": (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000},
        code="image_bomb",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[pil_format]) as probe:
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[pil_format]) as image:
                image.load()
                image = ImageOps.exif_transpose(image)  # keep the photo upright once EXIF is gone
                return _encode(image, pil_format)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_big from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise damaged from None


def _encode(image, pil_format):
    # Pillow writes back what ``info`` holds (ICC profile, text chunks, EXIF): keep only transparency.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    out = io.BytesIO()
    if pil_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=88, optimize=True)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()
