"""Keystone (identity v3): version discovery, tokens and projects."""

import hashlib
import secrets
import time
from typing import Any

from openstack_simulator.cloud import Cloud
from openstack_simulator.identity import DOMAIN_ID, ROLES, Project, Token, User
from openstack_simulator.timefmt import iso_micro_z
from openstack_simulator.web import (
    ApiError,
    Request,
    Response,
    Router,
    Service,
    dumps,
    json_response,
)

router = Router()

UNAUTHORIZED = "The request you have made requires authentication."
_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}
# (catalog type, service name, endpoint path below the host; {region} is filled in)
_CATALOG = (
    ("identity", "keystone", "/v3"),
    ("compute", "nova", "/{region}/compute/v2.1"),
    ("image", "glance", "/{region}/image"),
    ("network", "neutron", "/{region}/network"),
)


def _error_body(status: int, message: str) -> tuple[bytes, str]:
    title = _TITLES.get(status, "Error")
    return dumps(
        {"error": {"code": status, "message": message, "title": title}}
    ), "application/json"


def unauthorized(host_url: str) -> ApiError:
    """The 401 of keystonemiddleware, which every service answers with."""
    return ApiError(
        401,
        UNAUTHORIZED,
        headers={"WWW-Authenticate": f'Keystone uri="{host_url}/v3"'},
        body={"error": {"code": 401, "message": UNAUTHORIZED, "title": "Unauthorized"}},
    )


SERVICE = Service("identity", router, _error_body)


def _version(host_url: str) -> dict[str, Any]:
    return {
        "id": "v3.14",
        "status": "stable",
        "updated": "2020-04-07T00:00:00Z",
        "links": [{"rel": "self", "href": f"{host_url}/v3/"}],
        "media-types": [
            {"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}
        ],
    }


@router.route("GET", "", public=True)
def versions(request: Request) -> Response:
    return json_response({"versions": {"values": [_version(request.host_url)]}}, 300)


@router.route("GET", "/v3", public=True)
def version(request: Request) -> Response:
    return json_response({"version": _version(request.host_url)})


@router.route("POST", "/v3/auth/tokens", public=True)
def issue_token(request: Request) -> Response:
    cloud = request.cloud
    auth = request.json_object("auth")
    identity = auth.get("identity")
    methods = identity.get("methods") if isinstance(identity, dict) else None
    if not isinstance(identity, dict) or not isinstance(methods, list):
        raise ApiError(400, "Expecting to find identity in auth.")
    now = time.time()
    lifetime = cloud.options.token_expiry
    if "password" in methods:
        user = _password_user(cloud, identity.get("password"), request.host_url)
        project = _scope(cloud, auth.get("scope"), request.host_url)
        token = cloud.identity.issue(user, project, ["password"], now, lifetime)
    elif "application_credential" in methods:
        ref = identity.get("application_credential")
        credential = cloud.identity.find_app_credential(ref if isinstance(ref, dict) else {})
        secret = str(ref.get("secret", "")) if isinstance(ref, dict) else ""
        if credential is None or not secrets.compare_digest(secret, credential.secret):
            raise unauthorized(request.host_url)
        if auth.get("scope"):
            raise ApiError(401, "Application credentials cannot request a scope.")
        token = cloud.identity.issue(
            credential.user,
            credential.project,
            ["application_credential"],
            now,
            lifetime,
            credential,
        )
    else:
        raise unauthorized(request.host_url)
    body = {"token": token_body(cloud, token, request.host_url)}
    return json_response(body, 201, {"X-Subject-Token": token.id})


def _password_user(cloud: Cloud, password: object, host_url: str) -> User:
    ref = password.get("user") if isinstance(password, dict) else None
    user = cloud.identity.find_user(ref)
    given = str(ref.get("password", "")) if isinstance(ref, dict) else ""
    if user is None or user.password is None or not secrets.compare_digest(given, user.password):
        raise unauthorized(host_url)
    return user


def _scope(cloud: Cloud, scope: object, host_url: str) -> Project | None:
    """The project to scope to; no scope gives an unscoped token, as in Keystone."""
    if not scope:
        return None
    if not isinstance(scope, dict) or "project" not in scope:
        raise ApiError(401, "Only project scoped and unscoped tokens are simulated.")
    project = cloud.identity.find_project(scope["project"])
    if project is None:
        raise unauthorized(host_url)
    return project


def token_body(cloud: Cloud, token: Token, host_url: str) -> dict[str, Any]:
    domain = {"id": DOMAIN_ID, "name": cloud.identity.domain_name}
    body: dict[str, Any] = {
        "methods": token.methods,
        "user": {
            "domain": domain,
            "id": token.user.id,
            "name": token.user.name,
            "password_expires_at": None,
        },
        "audit_ids": [token.audit_id],
        "expires_at": iso_micro_z(token.expires_at),
        "issued_at": iso_micro_z(token.issued_at),
    }
    if token.project is not None:
        body["project"] = {"domain": domain, "id": token.project.id, "name": token.project.name}
        body["is_domain"] = False
        body["roles"] = [{"id": role_id, "name": name} for name, role_id in ROLES.items()]
        body["catalog"] = catalog(cloud, host_url)
    if token.app_credential is not None:
        credential = token.app_credential
        body["application_credential"] = {
            "id": credential.id,
            "name": credential.name,
            "restricted": True,
        }
    return body


def catalog(cloud: Cloud, host_url: str) -> list[dict[str, Any]]:
    """Every service in every region, at the same URL for each interface."""
    return [
        {
            "id": _stable_id(service_type),
            "type": service_type,
            "name": name,
            "endpoints": [
                {
                    "id": _stable_id(f"{service_type}:{region}:{interface}"),
                    "interface": interface,
                    "region": region,
                    "region_id": region,
                    "url": host_url + path.format(region=region),
                }
                for region in cloud.regions
                for interface in ("public", "internal", "admin")
            ],
        }
        for service_type, name, path in _CATALOG
    ]


def _stable_id(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _project_view(project: Project, host_url: str) -> dict[str, Any]:
    return {
        "id": project.id,
        "name": project.name,
        "description": project.description,
        "domain_id": DOMAIN_ID,
        "parent_id": DOMAIN_ID,
        "enabled": True,
        "is_domain": False,
        "tags": [],
        "options": {},
        "links": {"self": f"{host_url}/v3/projects/{project.id}"},
    }


@router.route("GET", "/v3/projects")
def list_projects(request: Request) -> Response:
    projects = request.cloud.identity.projects.values()
    name = request.arg("name")
    views = [_project_view(p, request.host_url) for p in projects if name in (None, p.name)]
    links = {"self": f"{request.host_url}/v3/projects", "previous": None, "next": None}
    return json_response({"projects": views, "links": links})


@router.route("GET", "/v3/projects/{project_id}")
def show_project(request: Request, project_id: str) -> Response:
    project = request.cloud.identity.projects.get(project_id)
    if project is None:
        raise ApiError(404, f"Could not find project: {project_id}.")
    return json_response({"project": _project_view(project, request.host_url)})
