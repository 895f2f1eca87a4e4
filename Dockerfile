FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MOCKSERVER_HOST=0.0.0.0

RUN useradd --create-home --uid 10001 mockserver \
    && mkdir /data && chown mockserver /data

WORKDIR /src
COPY . .
RUN pip install --no-cache-dir .

EXPOSE 8080
# A place for --state-file (MOCKSERVER_STATE_FILE=/data/state.bin) that outlives the container.
VOLUME /data
# Probes the port serve listens on (MOCKSERVER_PORT), with the standard library only.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["mockserver", "health"]

USER mockserver
CMD ["mockserver", "serve"]
