"""Where applicants' documents live: PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT and never given a URL.

The location is read from settings at each use (not frozen at import) so tests and deployments can
move it; files are only ever streamed by the permission-checked document view.
"""
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="onboarding.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private documents have no public URL; use the onboarding:document view.")


private_storage = PrivateStorage()
