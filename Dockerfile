# policykg HTTP API image (used by the `api` service in docker-compose.yml).
#
#   docker build -t policykg:local .
#   docker run --rm -p 127.0.0.1:8000:8000 -e NEO4J_URI=bolt://host:7687 \
#       -e NEO4J_USER=neo4j -e NEO4J_PASSWORD=... policykg:local
#
# Only what `pip install .` needs is copied (pyproject.toml's package dirs + README.md):
# with BuildKit the rest of the checkout (.neo4j/, .venv/, .git/, .env) is never sent
# to the builder nor baked into the image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY pyproject.toml README.md ./
COPY policykg/ policykg/
COPY graph/ graph/
COPY extractors/ extractors/
COPY api/ api/
COPY cypher/ cypher/

RUN pip install . \
    && useradd --create-home --uid 10001 --user-group policykg

USER policykg

EXPOSE 8000

CMD ["policykg", "serve", "--host", "0.0.0.0", "--port", "8000"]
