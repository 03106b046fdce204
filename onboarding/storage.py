"""Where applicants' documents live: never given a public URL, only streamed by the permission-checked view.

On disk by default: PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT (the location is read from settings at each use,
not frozen at import, so tests and deployments can move it). With object storage (MEDIA_STORAGE=s3,
settings ``STORAGES["private"]``: a private bucket or prefix) every call goes there instead, so every
node reads the documents any node received. The class stays the one the migrations name.
"""
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def _remote():
    """The configured private object storage, or None for the filesystem."""
    if "private" not in settings.STORAGES:
        return None
    from django.core.files.storage import storages

    return storages["private"]


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

    # --- object storage when configured --------------------------------------------------------------
    def _open(self, name, mode="rb"):
        remote = _remote()
        return remote._open(name, mode) if remote else super()._open(name, mode)

    def _save(self, name, content):
        remote = _remote()
        return remote._save(name, content) if remote else super()._save(name, content)

    def delete(self, name):
        remote = _remote()
        return remote.delete(name) if remote else super().delete(name)

    def exists(self, name):
        remote = _remote()
        return remote.exists(name) if remote else super().exists(name)

    def size(self, name):
        remote = _remote()
        return remote.size(name) if remote else super().size(name)

    def listdir(self, path):
        remote = _remote()
        return remote.listdir(path) if remote else super().listdir(path)

    def path(self, name):
        if _remote():
            raise NotImplementedError("Documents in object storage have no local path.")
        return super().path(name)

    def get_modified_time(self, name):
        remote = _remote()
        return remote.get_modified_time(name) if remote else super().get_modified_time(name)


private_storage = PrivateStorage()
