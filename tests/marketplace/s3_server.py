"""A local S3-compatible server for the object-storage tests: moto's server mode (moto[server] from PyPI),
on loopback, spoken to over real HTTP by django-storages/boto3 exactly as a cloud bucket would be."""
import logging
import socket

import boto3

ACCESS_KEY, SECRET_KEY, REGION = "ocop-test-access", "ocop-test-secret-key-0123456789", "us-east-1"
PUBLIC_BUCKET, PRIVATE_BUCKET = "ocop-media", "ocop-private"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class S3Server:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request lines
        self.server.start()
        client = self.client()
        for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
            client.create_bucket(Bucket=bucket)
        return self

    def __exit__(self, *exc):
        self.server.stop()

    def empty(self):
        client = self.client()
        for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
            for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
                client.delete_object(Bucket=bucket, Key=item["Key"])

    def client(self):
        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name=REGION)

    def env(self):
        """The settings an operator sets for MEDIA_STORAGE=s3 (README, "Running on several nodes")."""
        return {"MEDIA_STORAGE": "s3", "AWS_S3_ENDPOINT_URL": self.url, "AWS_ACCESS_KEY_ID": ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_S3_REGION_NAME": REGION, "MEDIA_BUCKET": PUBLIC_BUCKET,
                "PRIVATE_MEDIA_BUCKET": PRIVATE_BUCKET}

    def apply(self, settings, *, served_by_django):
        """The same configuration on a running test's settings (STORAGES last: it rebuilds the storages)."""
        settings.MEDIA_STORAGE = "s3"
        settings.AWS_S3_ENDPOINT_URL, settings.AWS_S3_REGION_NAME = self.url, REGION
        settings.AWS_ACCESS_KEY_ID, settings.AWS_SECRET_ACCESS_KEY = ACCESS_KEY, SECRET_KEY
        settings.AWS_S3_ADDRESSING_STYLE, settings.AWS_S3_CUSTOM_DOMAIN = "path", None
        settings.AWS_STORAGE_BUCKET_NAME, settings.AWS_DEFAULT_ACL = PUBLIC_BUCKET, "public-read"
        settings.AWS_QUERYSTRING_AUTH, settings.AWS_S3_FILE_OVERWRITE = False, False
        settings.AWS_S3_OBJECT_PARAMETERS = {"CacheControl": f"public, max-age={settings.MEDIA_CACHE_SECONDS}"}
        settings.MEDIA_SERVED_BY_DJANGO = served_by_django
        settings.MEDIA_URL = "/media/" if served_by_django else f"{self.url}/{PUBLIC_BUCKET}/"
        settings.THUMBNAIL_STORAGE = "marketplace.storage.PublicMediaStorage"
        settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "marketplace.storage.PublicMediaStorage"},
                             "private": {"BACKEND": "marketplace.storage.PrivateDocumentStorage", "OPTIONS": {
                                 "bucket_name": PRIVATE_BUCKET, "location": "private", "default_acl": "private",
                                 "querystring_auth": True, "querystring_expire": 60,
                                 "object_parameters": {"CacheControl": "private, no-store"}}}}
