"""Checking uploaded pictures by their content, and re-encoding them so no metadata or payload survives."""
import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

#: Larger than any photo a phone takes; a "decompression bomb" declares far more.
MAX_PIXELS = 40_000_000
ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png"}


def clean_image(upload, *, max_bytes=None):
    """Return a re-encoded copy (JPEG or PNG) of an uploaded picture, or raise ValidationError."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(_("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)})
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                if image_format not in ALLOWED_IMAGE_FORMATS:
                    raise ValidationError(_("Only JPEG and PNG pictures are accepted."))
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(_("The picture is too large in pixels."))
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                if image.mode not in ("RGB", "RGBA", "L"):
                    image = image.convert("RGBA" if "A" in image.mode else "RGB")
                # Pillow writes image.info back (a JPEG comment survives re-encoding, and with it an
                # HTML/JS payload of a polyglot file): nothing of the original's metadata is kept.
                image.info = {}
                out = io.BytesIO()
                if image_format == "JPEG":
                    image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)  # no EXIF is copied
                else:
                    image.save(out, "PNG", optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise ValidationError(_("This file is not a valid JPEG or PNG picture."))
    name = (upload.name or "image").rsplit(".", 1)[0][:80]
    return ContentFile(out.getvalue(), name=f"{name}.{ALLOWED_IMAGE_FORMATS[image_format]}")
