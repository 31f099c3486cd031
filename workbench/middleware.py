"""The Content-Security-Policy header: the workbench loads nothing from another host.

Its own pages allow only their own files ('self': no inline script or style); the offline site
it serves behind login (/site/) keeps the inline scripts it was written with, and still 'self' only.
"""
from __future__ import annotations

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
SITE_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
SITE_PREFIX = "/site/"


class ContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy",
                                    SITE_CSP if request.path.startswith(SITE_PREFIX) else PAGE_CSP)
        response.headers.setdefault("Cache-Control", "no-store")
        return response
