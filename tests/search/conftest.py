import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import unquote, urlsplit

import pytest

#: The live Elasticsearch suite runs only against a real cluster.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
needs_cluster = pytest.mark.skipif(not ELASTICSEARCH_URL, reason="ELASTICSEARCH_URL not set: no Elasticsearch cluster")


@pytest.fixture(scope="module")
def demo_catalogue(django_db_setup, django_db_blocker):
    """The demo catalogue (544 products), loaded once per module and rolled back after it."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("load_demo", "--no-images", stdout=StringIO())
            yield
            transaction.set_rollback(True)


class FakeElasticsearch:
    """A tiny local HTTP server speaking enough of Elasticsearch 8 to record what the backend sends.

    ``requests`` holds (method, path, body) in order; ``search_response`` answers ``_search``;
    ``aliases`` is what ``GET /_alias/<name>`` finds; ``indices`` the names ``GET /<alias>-*`` lists.
    """

    def __init__(self):
        self.requests = []
        self.search_response = {"took": 1, "timed_out": False, "hits": {"total": {"value": 0, "relation": "eq"},
                                                                        "max_score": None, "hits": []}}
        self.aliases = {}
        self.indices = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, payload=None):
                body = json.dumps(payload).encode() if payload is not None else b""
                self.send_response(status)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                path = unquote(urlsplit(self.path).path)
                fake.requests.append((self.command, path, raw.decode()))
                status, payload = fake.route(self.command, path, raw.decode())
                self._answer(status, payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def route(self, method, path, body):
        if path.endswith("/_search"):
            return 200, self.search_response
        if path == "/_bulk":
            items = []
            lines = [json.loads(line) for line in body.splitlines() if line.strip()]
            index = 0
            while index < len(lines):
                (op, meta), = lines[index].items()
                index += 1 if op == "delete" else 2
                status = 200 if op == "delete" else 201
                items.append({op: {"_index": meta["_index"], "_id": meta["_id"], "status": status}})
            return 200, {"took": 1, "errors": False, "items": items}
        if path.startswith("/_alias/"):
            name = path.split("/")[-1]
            found = {index: {"aliases": {name: {}}} for index, alias in self.aliases.items() if alias == name}
            return (200, found) if found else (404, {"error": "alias missing", "status": 404})
        if path == "/_aliases":
            return 200, {"acknowledged": True}
        if path.endswith("/_refresh"):
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if method == "HEAD":
            return 404, None
        if method == "GET" and path.endswith("-*"):
            return 200, {name: {} for name in self.indices}
        if method == "PUT":
            self.indices.append(path.strip("/"))
            return 200, {"acknowledged": True, "index": path.strip("/")}
        if method == "DELETE":
            self.indices = [name for name in self.indices if name != path.strip("/")]
            return 200, {"acknowledged": True}
        return 400, {"error": f"unexpected {method} {path}", "status": 400}

    def bodies(self, suffix):
        return [json.loads(body) for method, path, body in self.requests if path.endswith(suffix) and body]

    def bulk_actions(self):
        """Every bulk line pair as (action, source or None)."""
        found = []
        for method, path, body in self.requests:
            if path != "/_bulk":
                continue
            lines = [json.loads(line) for line in body.splitlines() if line.strip()]
            index = 0
            while index < len(lines):
                (op, meta), = lines[index].items()
                source = None if op == "delete" else lines[index + 1]
                found.append(({op: meta}, source))
                index += 1 if op == "delete" else 2
        return found

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_es(settings):
    from search.backends import elasticsearch as es_backend

    with FakeElasticsearch() as fake:
        settings.SEARCH_BACKEND = "elasticsearch"
        settings.ELASTICSEARCH_URL = fake.url
        settings.ELASTICSEARCH_INDEX = "ocop-products"
        yield fake
    es_backend._clients.pop(fake.url, None)


def folded_words(text):
    from search.folding import fold

    return re.findall(r"[a-z0-9]+", fold(text))
