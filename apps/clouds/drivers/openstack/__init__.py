"""The OpenStack driver: the one module that talks to openstacksdk.

openstacksdk does what it is good at (authentication, the service catalog, version and
microversion discovery, retries, actions); large listings are read as JSON pages through its
authenticated adapters, because its Resource objects cost milliseconds each.
"""

import math
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

import openstack
from keystoneauth1 import exceptions as ksa_exceptions
from openstack import exceptions as sdk_exceptions
from openstack import utils as sdk_utils

from apps.inventory.choices import CloudType

from ...choices import Operation
from .. import register
from ..base import (
    AuthFailed,
    Conflict,
    DriverError,
    FlavorRecord,
    ImageRecord,
    KeypairRecord,
    NetworkRecord,
    NotFound,
    QuotaRecord,
    RateLimited,
    ServerRecord,
    ServerSpec,
    ServerStatus,
    SubnetRecord,
    Unavailable,
    ZoneRecord,
)
from . import records
from .states import instance_state

PAGE_SIZE = 1000
API_TIMEOUT = 60  # seconds for any one HTTP call to the cloud
# The newest compute microversion whose server shape the driver knows (records.server).
COMPUTE_MICROVERSION = "2.79"


@register
class OpenStackDriver:
    cloud_type = CloudType.OPENSTACK
    operations = frozenset(Operation) - {Operation.MIGRATE_INSTANCE}

    def __init__(self, cloud):
        self.cloud = cloud
        self._connections = {}

    # Regions -----------------------------------------------------------------------------

    def regions(self) -> list[str]:
        """The cloud's configured regions, or every region with a compute endpoint.

        Logs in either way, so wrong credentials show here.
        """
        conn = self._connect(None)
        if self.cloud.regions:
            return list(self.cloud.regions)
        with translated_errors():
            access = conn.session.auth.get_access(conn.session)
            endpoints = access.service_catalog.get_endpoints(
                service_type="compute", interface=self.cloud.interface
            )
        return sorted({e["region_id"] or e["region"] for e in endpoints.get("compute", [])})

    # Listings ----------------------------------------------------------------------------

    def servers(self, region: str, changes_since: datetime | None = None) -> Iterator[ServerRecord]:
        """Every server of the region; with `changes_since`, those changed (or deleted) since."""
        for page in self._server_pages(region, changes_since):
            yield from map(records.server, page)

    def server_statuses(self, region: str, changes_since: datetime) -> Iterator[ServerStatus]:
        """Where each server of the region changed (or deleted) since then stands now; a server
        whose Nova cell is down is not news."""
        for page in self._server_pages(region, changes_since):
            yield from (_server_status(data) for data in page if not records.is_partial(data))

    def flavors(self, region: str) -> list[FlavorRecord]:
        conn = self._connect(region)
        pages = self._pages(conn.compute, "/flavors/detail?is_public=None", "flavors")
        return [records.flavor(item) for page in pages for item in page]

    def images(self, region: str) -> list[ImageRecord]:
        conn = self._connect(region)
        pages = self._pages(conn.image, f"/images?limit={PAGE_SIZE}", "images")
        return [records.image(item) for page in pages for item in page]

    def networks(self, region: str) -> list[NetworkRecord]:
        conn = self._connect(region)
        pages = self._pages(conn.network, f"/networks?limit={PAGE_SIZE}", "networks")
        return [records.network(item) for page in pages for item in page]

    def subnets(self, region: str) -> list[SubnetRecord]:
        conn = self._connect(region)
        pages = self._pages(conn.network, f"/subnets?limit={PAGE_SIZE}", "subnets")
        return [records.subnet(item) for page in pages for item in page]

    def keypairs(self, region: str) -> list[KeypairRecord]:
        conn = self._connect(region)
        return [
            records.keypair(item) for item in self._get(conn.compute, "/os-keypairs")["keypairs"]
        ]

    def zones(self, region: str) -> list[ZoneRecord]:
        conn = self._connect(region)
        body = self._get(conn.compute, "/os-availability-zone")
        return [records.zone(item) for item in body.get("availabilityZoneInfo", [])]

    def quota(self, region: str) -> QuotaRecord:
        conn = self._connect(region)
        return records.quota(self._get(conn.compute, "/limits")["limits"]["absolute"])

    # Actions -----------------------------------------------------------------------------

    def create_server(self, region: str, spec: ServerSpec) -> str:
        """Asks for a new server; returns its id."""
        server = {
            "name": spec.name,
            "flavorRef": spec.flavor_real_id,
            "imageRef": spec.image_real_id,
            "networks": [{"uuid": real_id} for real_id in spec.network_real_ids] or "auto",
            "metadata": spec.metadata,
        }
        if spec.keypair_name:
            server["key_name"] = spec.keypair_name
        if spec.availability_zone:
            server["availability_zone"] = spec.availability_zone
        conn = self._connect(region)
        response = self._send(
            conn.compute, "POST", "/servers", {"server": server}, self._microversion(conn)
        )
        return response.json()["server"]["id"]

    def delete_server(self, region: str, real_id: str) -> None:
        self._send(self._connect(region).compute, "DELETE", f"/servers/{real_id}")

    def rename_server(self, region: str, real_id: str, name: str) -> None:
        body = {"server": {"name": name}}
        self._send(self._connect(region).compute, "PUT", f"/servers/{real_id}", body)

    def reboot_server(self, region: str, real_id: str, hard: bool = False) -> None:
        self._server_action(region, real_id, "reboot", {"type": "HARD" if hard else "SOFT"})

    def start_server(self, region: str, real_id: str) -> None:
        self._server_action(region, real_id, "os-start")

    def stop_server(self, region: str, real_id: str) -> None:
        self._server_action(region, real_id, "os-stop")

    def pause_server(self, region: str, real_id: str) -> None:
        self._server_action(region, real_id, "pause")

    def unpause_server(self, region: str, real_id: str) -> None:
        self._server_action(region, real_id, "unpause")

    def suspend_server(self, region: str, real_id: str) -> None:
        self._server_action(region, real_id, "suspend")

    def resume_server(self, region: str, real_id: str) -> None:
        self._server_action(region, real_id, "resume")

    def resize_server(self, region: str, real_id: str, flavor_real_id: str) -> None:
        self._server_action(region, real_id, "resize", {"flavorRef": flavor_real_id})

    def confirm_resize(self, region: str, real_id: str) -> None:
        self._server_action(region, real_id, "confirmResize")

    def rebuild_server(self, region: str, real_id: str, image_real_id: str) -> None:
        self._server_action(region, real_id, "rebuild", {"imageRef": image_real_id})

    def create_image(self, region: str, real_id: str, name: str) -> str:
        """Asks for a snapshot image of a server; returns the new image's id."""
        conn = self._connect(region)
        body = {"createImage": {"name": name}}
        url = f"/servers/{real_id}/action"
        response = self._send(conn.compute, "POST", url, body, self._microversion(conn))
        if response.content:  # microversion 2.45 and later
            return response.json()["image_id"]
        return response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]

    def image(self, region: str, real_id: str) -> ImageRecord:
        conn = self._connect(region)
        return records.image(self._get(conn.image, f"/images/{real_id}"))

    def delete_image(self, region: str, real_id: str) -> None:
        self._send(self._connect(region).image, "DELETE", f"/images/{real_id}")

    # Plumbing ----------------------------------------------------------------------------

    def _server_pages(self, region: str, changes_since: datetime | None) -> Iterator:
        """Pages of servers. A whole listing asks for its first page without a limit (Nova's
        page is 1,000 servers anyway): only such a request gets the servers of a Nova cell
        that is down, as partial records; paged, sorted and filtered ones leave them out."""
        query = {}
        if changes_since:
            query = {"limit": PAGE_SIZE, "changes-since": changes_since.isoformat()}
        conn = self._connect(region)
        url = f"/servers/detail?{urlencode(query)}" if query else "/servers/detail"
        return self._pages(conn.compute, url, "servers", self._microversion(conn))

    def _server_action(self, region: str, real_id: str, action: str, argument=None) -> None:
        conn = self._connect(region)
        self._send(conn.compute, "POST", f"/servers/{real_id}/action", {action: argument})

    def _send(self, adapter, method: str, url: str, body=None, microversion=None):
        with translated_errors():
            response = adapter.request(url, method, json=body, microversion=microversion)
            sdk_exceptions.raise_from_response(response)
            return response

    def _connect(self, region: str | None):
        if region not in self._connections:
            url = self.cloud.auth_url
            try:
                with translated_errors():
                    conn = openstack.connect(**self._config(region))
                    conn.session.auth.get_access(conn.session)  # log in now: errors surface here
            except Unavailable as exc:
                cause = exc.__cause__
                if isinstance(cause, ksa_exceptions.DiscoveryFailure):
                    raise Unavailable(f"No Keystone v3 identity service at {url}") from cause
                if isinstance(cause, ksa_exceptions.ConnectionError):
                    raise Unavailable(
                        f"Cannot connect to {url} ({type(cause).__name__})"
                    ) from cause
                if isinstance(cause, ksa_exceptions.HttpError):
                    raise type(exc)(f"Keystone at {url}: {exc}", exc.retry_after) from cause
                raise
            self._connections[region] = conn
        return self._connections[region]

    def _config(self, region: str | None) -> dict:
        cloud = self.cloud
        with_credential = bool(cloud.application_credential_id)
        credentials = {
            name: getattr(cloud, name)
            for name in cloud.CREDENTIAL_FIELDS
            if name.startswith("application_credential_") == with_credential
        }
        return {
            "auth_type": "v3applicationcredential" if with_credential else "password",
            "auth": {
                **{name: value for name, value in credentials.items() if value},
                "auth_url": cloud.auth_url,
            },
            "region_name": region,
            "interface": cloud.interface,
            "verify": cloud.verify_tls,
            "identity_api_version": "3",
            "app_name": "perspective",
            "api_timeout": API_TIMEOUT,
            # Only this cloud's settings: not the machine's clouds.yaml or OS_* variables.
            "load_yaml_config": False,
            "load_envvars": False,
        }

    def _microversion(self, conn) -> str | None:
        """The newest microversion both the driver and the cloud's Nova know.

        Every Nova API v2.1 announces its microversions. When its version document cannot be
        read (a 503, say), openstacksdk would carry on without one, and a listing at 2.1 lacks
        fields (locks, host names) that a sync would then blank: that is an outage to retry.
        """
        with translated_errors():
            endpoint = conn.compute.get_endpoint_data()
            if endpoint is None or not endpoint.max_microversion:
                raise Unavailable("Cannot read the compute service's version document")
            return sdk_utils.maximum_supported_microversion(conn.compute, COMPUTE_MICROVERSION)

    def _get(self, adapter, url: str, microversion: str | None = None) -> dict:
        return self._response(adapter, url, microversion).json()

    def _response(self, adapter, url: str, microversion: str | None = None):
        with translated_errors():
            response = adapter.get(url, microversion=microversion)
            sdk_exceptions.raise_from_response(response)
            return response

    def _pages(self, adapter, url: str, key: str, microversion: str | None = None) -> Iterator:
        """The items of each page, following `<key>_links` (Nova, Neutron) or `next` (Glance).

        The next page is asked for while the caller works on this one, so that the cloud's
        time to answer (seconds a page on a big Nova) overlaps the caller's own. Only the wait
        is in the thread: decoding it there slowed the caller, the two taking turns with
        Python's lock."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="next-page") as ahead:
            fetching = ahead.submit(self._response, adapter, url, microversion)
            while fetching:
                body = fetching.result().json()
                url = _next_link(body, key)
                fetching = ahead.submit(self._response, adapter, url, microversion) if url else None
                yield body.get(key, [])


def _server_status(data: dict) -> ServerStatus:
    fault = data.get("fault") or {}
    return ServerStatus(
        real_id=data["id"],
        state=instance_state(data.get("status"), data.get("OS-EXT-STS:task_state")),
        awaits_confirmation=data.get("status") == "VERIFY_RESIZE",
        fault=fault.get("message") or "",
        last_updated=records.timestamp(data.get("updated")),
    )


def _next_link(body: dict, key: str) -> str | None:
    if body.get("next"):
        return body["next"]
    links = body.get(f"{key}_links") or []
    return next((link["href"] for link in links if link.get("rel") == "next"), None)


@contextmanager
def translated_errors():
    """openstacksdk's and keystoneauth's exceptions as the driver's typed errors.

    keystoneauth raises its own HTTP errors for what happens while logging in (a Keystone that
    answers 503, say); they are translated like the cloud's answers to any other call.
    """
    try:
        yield
    except ksa_exceptions.Unauthorized as exc:
        raise AuthFailed("The cloud refused the credentials") from exc
    except (ksa_exceptions.ConnectionError, ksa_exceptions.DiscoveryFailure) as exc:
        raise Unavailable(f"Cannot reach the cloud: {type(exc).__name__}") from exc
    except ksa_exceptions.EndpointNotFound as exc:
        raise Unavailable(f"The cloud's catalog has no such endpoint: {exc}") from exc
    except sdk_exceptions.HttpException as exc:
        raise _http_error(exc.status_code, exc.details or exc.message, exc.response) from exc
    except ksa_exceptions.HttpError as exc:
        raise _http_error(exc.http_status, exc.details or exc.message, exc.response) from exc
    except ksa_exceptions.ClientException as exc:
        raise DriverError(f"Cloud call failed: {type(exc).__name__}") from exc


def _http_error(status: int | None, detail: str, response) -> DriverError:
    status = status or 0
    message = f"{status}: {detail}"
    if status == 401:
        return AuthFailed("The cloud refused the credentials")
    if status == 404:
        return NotFound(message)
    if status == 409:
        return Conflict(message)
    header = response.headers.get("Retry-After") if response is not None else None
    if status == 429:
        return RateLimited(message, retry_after=parse_retry_after(header))
    if status >= 500:
        return Unavailable(message, retry_after=parse_retry_after(header))
    return DriverError(message)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header, which HTTP allows as a number of seconds or
    as a date; None when there is none or it makes no sense."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:  # an HTTP date is always in GMT
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(seconds, 0.0) if math.isfinite(seconds) else None
