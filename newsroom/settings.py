"""Settings for Newsroom, all from the environment (see README for the variables).

``DJANGO_ENV`` picks the defaults: ``development`` (the default) runs with no
configuration at all on SQLite and local memory; ``production`` refuses to start
without ``SECRET_KEY`` and ``ALLOWED_HOSTS`` and turns every HTTPS protection on.
"""

import datetime
import importlib.util
import warnings
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

ENVIRONMENT = env.str("DJANGO_ENV", default="development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)

if PRODUCTION:
    # No silent fallbacks in production: a missing key or host list stops start-up.
    try:
        SECRET_KEY = env.str("SECRET_KEY")
        ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            f"{exc}. Production (DJANGO_ENV=production) needs SECRET_KEY and ALLOWED_HOSTS."
        ) from None
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be a random string of 50+ characters.")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list this site's host names.")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
else:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="django-insecure-development-only-never-use-this-key-in-production"
    )
    ALLOWED_HOSTS = env.list(
        "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
    )

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin with the sign-in throttle in front (newsroom/admin_site.py).
    "newsroom.admin_site.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "taggit",
    "django_prose_editor",
    "reversion",
    "common",
    "images",
    "shows",
    "people",
    "articles",
    # The project package itself, for its site-wide management commands (backup, restore).
    "newsroom",
]

MIDDLEWARE = [
    # Refuses oversized bodies before anything reads them.
    "newsroom.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside the CSP middleware: gives admin pages their own policy first.
    "newsroom.middleware.AdminContentSecurityPolicyMiddleware",
    "newsroom.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "newsroom.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.middleware.OldArticleAddressMiddleware",
    # Decides once the URL has resolved (docs/architecture.md, "Caching").
    "newsroom.pagecache.PublicPageCacheMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out users before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "newsroom.context_processors.site",
                "newsroom.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers carry on while an editor saves; IMMEDIATE takes the
        # write lock at BEGIN so concurrent writers queue instead of failing.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Persistent connections, checked before reuse: PostgreSQL skips a connect per
# request, SQLite re-opening the file and re-running the PRAGMAs above.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# CACHE_URL (or REDIS_URL) such as redis://127.0.0.1:6379/0; local memory otherwise.
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        env.cache_url_config(_cache_url)
        if _cache_url
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            # Whole pages live here (about 20-60 kB each); Django's default of 300
            # entries would keep too few of them.
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    )
}
CACHES["default"].setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default="newsroom"))
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Fail open: a Redis outage means uncached pages and a log line, never errors.
    CACHES["default"]["BACKEND"] = "newsroom.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {})
    CACHES["default"]["OPTIONS"].setdefault("socket_connect_timeout", 0.5)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 0.5)
if _cache_url:
    # With a shared cache, each process also keeps the pages it served last in its
    # own memory: page keys carry the content version, so a local copy can never
    # be served after a change, and a hot page costs no round trip to Redis.
    CACHES["pages-local"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsroom-pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }

# --- Auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Time -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("NEWSROOM_TIME_ZONE", default="America/New_York")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"NEWSROOM_TIME_ZONE={TIME_ZONE!r} is not a time zone name like America/New_York."
    ) from None

# --- Static and media -----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (run collectstatic); plain files
        # in development and tests so no build step is needed.
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default=(
                "whitenoise.storage.CompressedManifestStaticFilesStorage"
                if PRODUCTION
                else "django.contrib.staticfiles.storage.StaticFilesStorage"
            ),
        )
    },
}

# MEDIA_STORAGE=s3 keeps uploads in an S3-compatible bucket (AWS, R2, MinIO…) through
# django-storages, which is optional: pip install "django-storages[s3]" (README, "Media").
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            'MEDIA_STORAGE=s3 needs django-storages: pip install "django-storages[s3]==1.14.6".'
        )
    try:
        _bucket = env.str("MEDIA_S3_BUCKET")
    except ImproperlyConfigured:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET.") from None
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "custom_domain": env.str("MEDIA_S3_CUSTOM_DOMAIN", default="") or None,
            "location": env.str("MEDIA_S3_PREFIX", default=""),
            # Public, cacheable URLs: media is public, and signed URLs would change on every
            # page view and defeat every cache.
            "querystring_auth": False,
            # Every name is content-addressed (images.files), so a file never changes.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")

if not PRODUCTION:
    # Serve straight from the app and project static folders: no collectstatic
    # step in development or tests, so STATIC_ROOT need not exist either.
    WHITENOISE_USE_FINDERS = True
    warnings.filterwarnings("ignore", message="No directory at")

# --- Security ---------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Idle expiry: only editors have sessions (readers never log in); their
# activity pushes the expiry on (newsroom.middleware.SessionIdleMiddleware), so
# an unattended admin signs itself out after this long.
SESSION_COOKIE_AGE = env.int("ADMIN_IDLE_MINUTES", default=60) * 60
# Request bodies: form posts are small; uploads (images, at most 20 MB) are
# streamed to disk. Anything bigger is refused before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
NEWSROOM_MAX_REQUEST_BYTES = env.int("MAX_REQUEST_MB", default=25) * 1024 * 1024

# Content Security Policy (Django's own middleware). Public pages carry no
# inline script or style at all; JSON-LD is data, which CSP does not block.
_media_origin = urlsplit(MEDIA_URL)
_media_sources = (
    [f"{_media_origin.scheme}://{_media_origin.netloc}"] if _media_origin.netloc else []
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, *_media_sources],
    "media-src": [CSP.SELF, *_media_sources],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# The admin's widgets (select2, the rich-text editor) set inline styles and
# load an import map; it gets the same policy plus those, and nothing else.
NEWSROOM_ADMIN_CSP = {
    **SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", *_media_sources],
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

# --- Sign-in protection (django-axes plus a short throttle) --------------------
# A few wrong passwords slow an account down (newsroom.login_throttle); many
# lock the account name and the address out for AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = env.int("LOGIN_LOCKOUT_FAILURES", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False
NEWSROOM_LOGIN_THROTTLE_AFTER = 3
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Newsroom -----------------------------------------------------------------
NEWSROOM_NAME = env.str("NEWSROOM_NAME", default="Newsroom")
ADMIN_URL = env.str("ADMIN_URL", default="admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/"):
    raise ImproperlyConfigured(
        "ADMIN_URL must look like 'admin/' (no leading slash, one trailing)."
    )

# --- Editorial workflow (README, "Editorial workflow") --------------------------
# How long a shared preview link works.
NEWSROOM_PREVIEW_MAX_AGE_HOURS = env.int("PREVIEW_MAX_AGE_HOURS", default=48)
# How long after someone opens a story's edit form others are told they have it open.
NEWSROOM_EDITING_NOTICE_MINUTES = env.int("EDITING_NOTICE_MINUTES", default=10)

# --- Public site, feeds and WebSub ----------------------------------------------
# The public origin (https://news.example.com) for canonical URLs, feeds,
# sitemaps, JSON-LD and WebSub topics. Blank: each request's own host, which
# ALLOWED_HOSTS already restricts.
NEWSROOM_SITE_URL = env.str("NEWSROOM_SITE_URL", default="").rstrip("/")
if NEWSROOM_SITE_URL and not NEWSROOM_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("NEWSROOM_SITE_URL must look like https://news.example.com.")
NEWSROOM_FEED_ITEMS = env.int("NEWSROOM_FEED_ITEMS", default=20)
# Feed readers poll; five minutes in shared caches keeps them cheap without
# making a new story late by more than that.
NEWSROOM_FEED_CACHE_SECONDS = env.int("NEWSROOM_FEED_CACHE_SECONDS", default=300)
NEWSROOM_WEBSUB_HUB = env.str("NEWSROOM_WEBSUB_HUB", default="")
NEWSROOM_WEBSUB_ATTEMPTS = env.int("NEWSROOM_WEBSUB_ATTEMPTS", default=3)
if NEWSROOM_WEBSUB_HUB and not NEWSROOM_SITE_URL:
    # A hub is told topic URLs from a background task, where there is no request.
    raise ImproperlyConfigured("NEWSROOM_WEBSUB_HUB needs NEWSROOM_SITE_URL to be set as well.")

# --- Caching (docs/architecture.md, "Caching") ----------------------------------
# Seconds a whole public page or feed stays in the cache; 0 turns the page cache off
# (headers stay). Any change renews the content version, so this only bounds memory.
NEWSROOM_PAGE_CACHE_SECONDS = env.int("NEWSROOM_PAGE_CACHE_SECONDS", default=600)
# How long a process may go on using the content version it last read.
NEWSROOM_CACHE_CHECK_SECONDS = env.float("NEWSROOM_CACHE_CHECK_SECONDS", default=1.0)
# What a CDN in front may do: keep a page this long (s-maxage), then serve it stale
# for this much longer while it fetches a fresh one (stale-while-revalidate).
NEWSROOM_CDN_MAX_AGE = env.int("NEWSROOM_CDN_MAX_AGE", default=5)
NEWSROOM_CDN_STALE_SECONDS = env.int("NEWSROOM_CDN_STALE_SECONDS", default=30)
# A bare view for load benchmarks (bench/), mounted at /bench/trivial/ only when set.
NEWSROOM_BENCH_TRIVIAL_VIEW = (
    env.bool("NEWSROOM_BENCH_TRIVIAL_VIEW", default=False) and not PRODUCTION
)

# Background tasks (django.tasks). The immediate backend runs a task in the
# process that enqueued it; callers enqueue on commit, so the editor's save is
# never held up. At scale use a queue with workers, e.g. django-tasks-db
# (TASKS_BACKEND=django_tasks_db.DatabaseBackend; README explains).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="django.tasks.backends.immediate.ImmediateBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
if TASKS_BACKEND.startswith("django_tasks_db."):
    INSTALLED_APPS.append("django_tasks_db")
