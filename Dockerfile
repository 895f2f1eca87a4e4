FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 mockserver

WORKDIR /src
COPY . .
RUN pip install --no-cache-dir .

EXPOSE 8080
# slim has no curl; the standard library is enough to probe the health endpoint.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/_mock/health', timeout=2)"]

USER mockserver
CMD ["mockserver", "serve", "--host", "0.0.0.0"]
