# KI-Lotse as a container: `docker compose up` (compose.yaml) runs it with PostgreSQL.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md manifest.json alembic.ini ./
COPY bot ./bot
COPY handlers ./handlers
COPY jobs ./jobs
COPY config ./config
RUN pip install . && useradd --create-home --uid 10001 kilotse
USER kilotse

# Read by `serve`; the platform or compose.yaml maps it.
ENV PORT=3000
EXPOSE 3000
# Ready when the database answers and its schema is at this image's migration.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/readyz', timeout=4)"
# SIGTERM: requests in flight, the current job and the work after answers finish, then the process exits.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "serve"]
