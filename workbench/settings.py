"""Django settings of the workbench, built on the tracking store's (`tracking.db.django_settings`).

Django's own auth, sessions, CSRF and password hashing; django-axes locks a user name out after
`LOGIN_FAILURE_LIMIT` wrong passwords (from the same address) for `LOCKOUT_HOURS`.

>>> import tempfile
>>> from tracking.workspace import open_workspace
>>> s = workbench_settings(open_workspace(tempfile.mkdtemp()), https=True)
>>> s["SESSION_COOKIE_SECURE"], s["SESSION_COOKIE_HTTPONLY"], s["ALLOWED_HOSTS"]
(True, True, ['127.0.0.1', 'localhost'])
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from tracking.db import PASSWORD_VALIDATORS, django_settings
from tracking.workspace import Workspace

LOGIN_FAILURE_LIMIT = 5
LOCKOUT_HOURS = 0.25
HERE = Path(__file__).resolve().parent


def workbench_settings(ws: Workspace, https: bool = False, open_to_intranet: bool = False) -> dict[str, Any]:
    """The tracking store's settings plus what a web site needs.

    `https`: served over HTTPS (waitress told so, or behind the bureau's proxy): cookies are sent
    only over HTTPS. `open_to_intranet`: any Host header is accepted (the machine's intranet
    name or address is not known in advance); else only 127.0.0.1 and localhost.
    """
    base = django_settings(ws)
    return {
        **base,
        "INSTALLED_APPS": ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions",
                           "django.contrib.messages", "axes", "tracking", "workbench"],
        "MIDDLEWARE": [
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.auth.middleware.LoginRequiredMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
            "axes.middleware.AxesMiddleware",
            "workbench.middleware.ContentSecurityPolicy",
        ],
        "AUTHENTICATION_BACKENDS": ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"],
        "AUTH_PASSWORD_VALIDATORS": PASSWORD_VALIDATORS,
        "ROOT_URLCONF": "workbench.urls",
        "TEMPLATES": [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True,
                       "OPTIONS": {"context_processors": ["django.template.context_processors.request",
                                                          "django.contrib.auth.context_processors.auth",
                                                          "django.contrib.messages.context_processors.messages",
                                                          "workbench.access.context"]}}],
        "STATIC_URL": "/static/",
        "LOGIN_URL": "login",
        "LOGIN_REDIRECT_URL": "overview",
        "LOGOUT_REDIRECT_URL": "login",
        "DEBUG": False,
        "ALLOWED_HOSTS": ["*"] if open_to_intranet else ["127.0.0.1", "localhost"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "CSRF_COOKIE_SECURE": https,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_AGE": 12 * 3600,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "DATA_UPLOAD_MAX_MEMORY_SIZE": 50 * 1024 * 1024,
        "FILE_UPLOAD_MAX_MEMORY_SIZE": 5 * 1024 * 1024,
        "AXES_FAILURE_LIMIT": LOGIN_FAILURE_LIMIT,
        "AXES_COOLOFF_TIME": LOCKOUT_HOURS,
        "AXES_LOCKOUT_PARAMETERS": [["username", "ip_address"]],
        "AXES_RESET_ON_SUCCESS": True,
        "AXES_LOCKOUT_TEMPLATE": "workbench/locked.html",
        "AXES_VERBOSE": False,
        "LOGGING": {"version": 1, "disable_existing_loggers": False,
                    "handlers": {"file": {"class": "logging.FileHandler", "filename": str(ws.log_dir / "workbench.log"),
                                          "encoding": "utf-8"}},
                    "root": {"handlers": ["file"], "level": "WARNING"}},
    }
