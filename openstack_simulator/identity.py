"""Keystone's state: the domain, projects, users, application credentials and tokens."""

import secrets
from dataclasses import dataclass, field

DOMAIN_ID = "default"
# The simulated user's roles, in every project.
ROLES = {
    "admin": "c6d6c4a0a2d84c4f9e7d2f1c6a5b4e01",
    "member": "9fe2ff9ee4384b1894a90878d3e92bab",
    "reader": "3f1d2d7c0b8e4e6a9c5b7a2e1d4f6a80",
}


@dataclass(eq=False)
class Project:
    id: str
    name: str
    description: str = ""


@dataclass(eq=False)
class User:
    id: str
    name: str
    password: str | None = None
    default_project_id: str | None = None


@dataclass(eq=False)
class AppCredential:
    id: str
    name: str
    secret: str
    user: User
    project: Project


@dataclass(eq=False)
class Token:
    id: str
    user: User
    project: Project | None
    methods: list[str]
    issued_at: float
    expires_at: float
    audit_id: str
    app_credential: AppCredential | None = None


@dataclass(eq=False)
class Identity:
    domain_name: str
    projects: dict[str, Project] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    app_credentials: dict[str, AppCredential] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)

    def domain_matches(self, ref: object) -> bool:
        """Whether a ``{"id": ...}`` or ``{"name": ...}`` reference names our one domain."""
        if not isinstance(ref, dict):
            return False
        return ref.get("id") == DOMAIN_ID or ref.get("name") == self.domain_name

    def find_user(self, ref: object) -> User | None:
        if not isinstance(ref, dict):
            return None
        if "id" in ref:
            return self.users.get(ref["id"])
        if not self.domain_matches(ref.get("domain")):
            return None
        return next((user for user in self.users.values() if user.name == ref.get("name")), None)

    def find_project(self, ref: object) -> Project | None:
        if not isinstance(ref, dict):
            return None
        if "id" in ref:
            return self.projects.get(ref["id"])
        if not self.domain_matches(ref.get("domain")):
            return None
        return next((p for p in self.projects.values() if p.name == ref.get("name")), None)

    def find_app_credential(self, ref: dict[str, object]) -> AppCredential | None:
        if "id" in ref:
            return self.app_credentials.get(str(ref["id"]))
        user = self.find_user(ref.get("user"))
        return next(
            (
                c
                for c in self.app_credentials.values()
                if c.name == ref.get("name") and c.user is user
            ),
            None,
        )

    def issue(
        self,
        user: User,
        project: Project | None,
        methods: list[str],
        now: float,
        lifetime: float,
        app_credential: AppCredential | None = None,
    ) -> Token:
        token = Token(
            id="gAAAAAB" + secrets.token_urlsafe(96),
            user=user,
            project=project,
            methods=methods,
            issued_at=now,
            expires_at=now + lifetime,
            audit_id=secrets.token_urlsafe(16),
            app_credential=app_credential,
        )
        self.tokens[token.id] = token
        return token

    def validate(self, token_id: str | None, now: float, ttl: float | None) -> Token | None:
        """The token, unless unknown, expired, or older than ``ttl`` (a fault: early expiry)."""
        token = self.tokens.get(token_id or "")
        if token is None or now >= token.expires_at:
            return None
        if ttl is not None and now >= token.issued_at + ttl:
            return None
        return token

    def revoke_all(self) -> None:
        self.tokens.clear()
