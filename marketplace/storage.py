"""Media in object storage (S3 API: a cloud bucket, MinIO, Ceph), so that every node sees every upload.

``MEDIA_STORAGE=s3`` (settings.py) makes ``PublicMediaStorage`` the default storage: product pictures,
sellers' logos, CMS images and the thumbnails made from them (sorl-thumbnail and Wagtail store those
with the media, and record them in the database, so one node makes a thumbnail once for all). Objects are
public-read with a long ``Cache-Control``. Their URL is MEDIA_URL + key: ``/media/…`` streamed by the site
(MEDIA_SERVED_BY_DJANGO, marketplace/media.py) or the bucket's / CDN's address.

Sellers' documents go to ``STORAGES["private"]`` (onboarding/storage.py picks it): a private bucket (or
prefix), objects private, read only through the permission-checked view.
"""
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PublicMediaStorage(S3Storage):
    """Settings come from the AWS_* settings, so sorl-thumbnail can build it without arguments."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        if getattr(settings, "MEDIA_SERVED_BY_DJANGO", False) or not settings.MEDIA_URL.startswith("/"):
            return settings.MEDIA_URL + filepath_to_uri(name.lstrip("/"))
        return super().url(name, parameters=parameters, expire=expire, http_method=http_method)


class PrivateDocumentStorage(S3Storage):
    """Private objects; a URL, if ever asked for, is signed and short-lived (settings: querystring_expire)."""


def ensure_missing_image(**_):
    """Oscar's "no picture" image lives in MEDIA_ROOT by a symlink; object storage needs a copy of it."""
    from django.contrib.staticfiles import finders
    from django.core.files import File
    from django.core.files.storage import default_storage

    if not isinstance(default_storage, S3Storage):
        return
    name = settings.OSCAR_MISSING_IMAGE_URL
    if default_storage.exists(name):
        return
    source = finders.find(f"oscar/img/{name}")
    if source:
        with open(source, "rb") as handle:
            default_storage.save(name, File(handle))
