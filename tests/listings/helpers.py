"""Reading the listings under /api/ in tests."""

from urllib.parse import urlsplit


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["name"] for item in response.json()["results"]]


def body(client, url: str, params: dict | None = None) -> dict:
    parts = urlsplit(url)
    path = f"{parts.path}?{parts.query}" if parts.query else parts.path
    response = client.get(path, params or {})
    assert response.status_code == 200, response.json()
    return response.json()


def pages(client, path: str, params: dict | None = None) -> list[dict]:
    """The bodies of every page of a listing, following `next` from the first."""
    bodies = [body(client, path, params)]
    while bodies[-1]["next"]:
        bodies.append(body(client, bodies[-1]["next"]))
    return bodies


def pages_before(client, page: dict) -> list[dict]:
    """The bodies of the pages before `page`, following `previous`, nearest first."""
    bodies = []
    while page["previous"]:
        page = body(client, page["previous"])
        bodies.append(page)
    return bodies


def ids(bodies: list[dict]) -> list[str]:
    return [item["id"] for page in bodies for item in page["results"]]
