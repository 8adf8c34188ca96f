"""Token authentication under either name clients use: `Authorization: Token <key>` (DRF's, the
README's) or `Authorization: Bearer <key>` (what OAuth-minded clients send)."""

from rest_framework import authentication

SCHEMES = ("Token", "Bearer")
HOW = "send the header `Authorization: Token <key>` (or `Bearer <key>`)"


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        scheme = authentication.get_authorization_header(request).split(b" ", 1)[0]
        for keyword in SCHEMES:
            if scheme.lower() == keyword.lower().encode():
                self.keyword = keyword
                return super().authenticate(request)
        return None
