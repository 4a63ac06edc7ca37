"""The one Settings object: read once from the environment (and a test's overrides), used by the
app factory, the command line and the production server alike.

| variable | meaning |
|---|---|
| ASSESS_INSTANCE | the data folder (default ./instance): the SQLite file and the secret key |
| ASSESS_SECRET_KEY | the key that signs sessions (default: the instance's `secret_key` file) |
| ASSESS_PRODUCTION=1 | refuse to start with a missing or weak key |
| ASSESS_HTTPS=1 | Secure `__Host-` cookie and HSTS |
| ASSESS_PROXY=1 | trust one reverse proxy's X-Forwarded-For, -Proto and -Host |
| ASSESS_TRUSTED_HOSTS | comma-separated host names the server answers to |
| ASSESS_PUBLIC_URL | the address people open (http://192.168.1.20:5000): join links, QR codes, invitations use it |
| ASSESS_QUESTIONNAIRES | extra questionnaire folders, separated by the path separator (added to the shipped ones) |
| ASSESS_DOC_TEMPLATES | a folder of document templates to use instead of the shipped ones |
| ASSESS_UPDATE_FIELDS=1 | downloads get their contents' page numbers from a headless LibreOffice (needs soffice) |
"""

from __future__ import annotations

import collections
import math
import os
import secrets
import tempfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
SHIPPED_QUESTIONNAIRES = PROJECT_ROOT / "questionnaires"
SHIPPED_DOC_TEMPLATES = PROJECT_ROOT / "doc_templates"
STATIC_DIR = PROJECT_ROOT / "static"
DATABASE_FILE = "assess.sqlite3"
SECRET_KEY_FILE = "secret_key"
WEAK_KEYS = {"dev", "development", "secret", "changeme", "change-me", "test", "key"}
MIN_KEY_BITS = 80
"""The least randomness a production key may hold, as `key_entropy_bits` estimates it (a random
32-character hex key, 128 bits, never estimates below 90)."""
MAKE_A_KEY = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


class ConfigurationError(RuntimeError):
    """The app cannot start as configured; the message says what to do."""


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "") == "1"


@dataclass(frozen=True)
class Settings:
    """Where the data lives and how the server behaves; every path is absolute."""

    instance: Path
    secret_key: str = ""
    production: bool = False
    https: bool = False
    proxy: bool = False
    trusted_hosts: tuple[str, ...] = ()
    public_url: str = ""
    """The address people open, without a trailing slash ("" = the address of each request)."""
    questionnaire_dirs: tuple[Path, ...] = (SHIPPED_QUESTIONNAIRES,)
    doc_templates_dir: Path = SHIPPED_DOC_TEMPLATES
    update_fields: bool = False
    flask: Mapping[str, Any] = field(default_factory=dict)
    """Extra Flask configuration (tests set TESTING, WTF_CSRF_ENABLED and the like)."""

    @property
    def database(self) -> Path:
        """Return the SQLite file of the instance."""
        return self.instance / DATABASE_FILE

    @property
    def secret_key_file(self) -> Path:
        return self.instance / SECRET_KEY_FILE

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Return the settings the environment asks for, with `overrides` (field name -> value) on top."""
        env = os.environ if environ is None else environ
        extra = tuple(Path(d).resolve() for d in env.get("ASSESS_QUESTIONNAIRES", "").split(os.pathsep) if d)
        settings = cls(
            instance=Path(env.get("ASSESS_INSTANCE") or Path.cwd() / "instance").resolve(),
            secret_key=env.get("ASSESS_SECRET_KEY", ""),
            production=_flag(env, "ASSESS_PRODUCTION"),
            https=_flag(env, "ASSESS_HTTPS"),
            proxy=_flag(env, "ASSESS_PROXY"),
            trusted_hosts=tuple(h.strip() for h in env.get("ASSESS_TRUSTED_HOSTS", "").split(",") if h.strip()),
            public_url=env.get("ASSESS_PUBLIC_URL", "").strip(),
            questionnaire_dirs=(SHIPPED_QUESTIONNAIRES, *(d for d in extra if d != SHIPPED_QUESTIONNAIRES)),
            doc_templates_dir=Path(env.get("ASSESS_DOC_TEMPLATES") or SHIPPED_DOC_TEMPLATES).resolve(),
            update_fields=_flag(env, "ASSESS_UPDATE_FIELDS"),
        )
        return replace(settings, **overrides) if overrides else settings

    def with_secret_key(self) -> Settings:
        """Return these settings with the secret key filled in from the instance's key file.

        Outside production a missing file is created (random, owner-only); in production a missing
        or weak key raises ConfigurationError, so no two workers ever sign sessions with different
        keys. A key file that cannot be read raises ConfigurationError too, saying so.
        """
        key = self.secret_key
        if not key and self.secret_key_file.exists():
            key = _read_key(self.secret_key_file)
        if not key and not self.production:
            key = _read_key(ensure_secret_key(self.instance))
        if not key:
            raise ConfigurationError(
                f"No SECRET_KEY: set ASSESS_SECRET_KEY, or create {self.secret_key_file} "
                "(`assess serve` makes one on first run)."
            )
        if self.production:
            bits = key_entropy_bits(key)
            if len(key) < 32 or key.lower() in WEAK_KEYS or bits < MIN_KEY_BITS:
                raise ConfigurationError(
                    f"SECRET_KEY is too weak for production: it holds about {bits:.0f} bits of randomness in "
                    f"{len(key)} characters, and at least {MIN_KEY_BITS} bits in 32 characters are needed. "
                    f"Make one with: {MAKE_A_KEY}"
                )
        return replace(self, secret_key=key)

    def with_public_address(self) -> Settings:
        """Return these settings with the public URL checked and normalized (no trailing slash).

        Raises ConfigurationError for an address that is not http(s)://host[:port][/path], and in
        production when neither a public URL nor trusted hosts are set: links would then follow
        whatever Host header a request brings.
        """
        url = normalize_public_url(self.public_url)
        if self.production and not url and not self.trusted_hosts:
            raise ConfigurationError(
                "In production set ASSESS_PUBLIC_URL (the address people open, e.g. https://assess.example.org) "
                "or ASSESS_TRUSTED_HOSTS, so that invitation and join links cannot point elsewhere."
            )
        return replace(self, public_url=url)


def normalize_public_url(url: str) -> str:
    """Return a public URL without its trailing slash ("" stays ""); raises ConfigurationError if it is not
    an http(s) address of a host, optionally with a port and a path."""
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigurationError(
            f"The public URL {url!r} is not an address like http://192.168.1.20:5000 or https://assess.example.org."
        )
    return url.rstrip("/")


def _read_key(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as problem:
        reason = problem.strerror if isinstance(problem, OSError) else "it is not text"
        raise ConfigurationError(
            f"Cannot read the secret key file {path} ({reason}): it must be a text file this user may read "
            "(or set ASSESS_SECRET_KEY)."
        ) from None


def key_entropy_bits(key: str) -> float:
    """Return an estimate of the randomness in a key, in bits: the lowest of what its character
    frequencies allow (few distinct characters), what it compresses to (repeats), and what zxcvbn
    would need to guess it (words, dates, keyboard runs)."""
    from zxcvbn import zxcvbn  # only production start-up asks, so only then is it loaded

    if not key:
        return 0.0
    counts = collections.Counter(key)
    frequencies = -sum(c / len(key) * math.log2(c / len(key)) for c in counts.values()) * len(key)
    compressed = max(0, len(zlib.compress(key.encode("utf-8"), 9)) - 11) * 8  # less zlib's own bytes
    guessed = float(zxcvbn(key[:100])["guesses_log10"]) * math.log2(10)
    return max(0.0, min(frequencies, compressed, guessed))


def check_instance_folder(instance: Path) -> None:
    """Raise ConfigurationError, in one sentence, when the data folder cannot be made or written."""
    try:
        instance.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise ConfigurationError(
            f"Cannot create the data folder {instance} ({problem.strerror}): set ASSESS_INSTANCE to a folder "
            "this user may write."
        ) from None
    try:
        with tempfile.TemporaryFile(dir=instance):
            pass
    except OSError as problem:
        raise ConfigurationError(
            f"The data folder {instance} cannot be written by this user ({problem.strerror}), and assess keeps "
            "its database there: make it writable, or set ASSESS_INSTANCE to another folder."
        ) from None


def ensure_secret_key(instance: Path) -> Path:
    """Create the instance's secret key file (random, owner-only) if it does not exist; return its path.

    Raises ConfigurationError when it cannot be written."""
    path = instance / SECRET_KEY_FILE
    if not path.exists():
        try:
            instance.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
        except OSError as problem:
            raise ConfigurationError(
                f"Cannot write the secret key file {path} ({problem.strerror}): make {instance} writable, "
                "or set ASSESS_SECRET_KEY."
            ) from None
    return path
