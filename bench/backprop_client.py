"""What the bench scripts share: an HTTP client for the service on 127.0.0.1 and the public data sets' folds.

Standard library only, so that the scripts run on Debian's /usr/bin/python3 as bench/run.sh does.
"""
import csv
import json
import time
import urllib.error
import urllib.request


class Http:
    """Calls the service; waits out a 429 by its Retry-After, records every 5xx, raises on any other error."""

    def __init__(self, base, timeout=300, retries=30):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.server_errors = []

    def call(self, method, path, body=None, content_type="application/json"):
        """The answer's status and its JSON body (None when empty)."""
        data = None
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        for _ in range(self.retries):
            request = urllib.request.Request(self.base + path, data=data, method=method)
            if data is not None:
                request.add_header("Content-Type", content_type)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    text = response.read().decode()
                    return response.status, json.loads(text) if text else None
            except urllib.error.HTTPError as e:
                text = e.read().decode(errors="replace")
                if e.code == 429:
                    time.sleep(float(e.headers.get("Retry-After", "2")))
                    continue
                if e.code >= 500:
                    self.server_errors.append((method, path, e.code, text[:500]))
                raise RuntimeError(f"{method} {path} -> {e.code}: {text[:800]}") from None
        raise RuntimeError(f"{method} {path}: still 429 after {self.retries} tries")

    def json(self, method, path, body=None, content_type="application/json"):
        """The answer's JSON body only."""
        return self.call(method, path, body, content_type)[1]


def load(data_dir, name):
    """A data set's header and rows (as text) and, per row, the fold in which it is the test row."""
    with open(f"{data_dir}/{name}.csv", newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    with open(f"{data_dir}/{name}_folds.csv", newline="") as f:
        fold = {int(r["row"]): int(r["fold"]) for r in csv.DictReader(f)}
    return header, rows, [fold[i] for i in range(len(rows))]
