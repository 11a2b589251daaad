# The publishing system in a container, for a designer on macOS or Windows (or any machine
# that is not Debian). The image holds the tools; your checkout is mounted at /project:
#
#   docker build -t pamphlets .
#   docker run --rm -v "$PWD:/project" pamphlets pamphlets build
#   docker run --rm -v "$PWD:/project" -p 8000:8000 pamphlets mkdocs serve -a 0.0.0.0:8000
#
# It is made by the same steps as a machine set up by hand: the Debian packages come from
# scripts/debian-packages.txt and the rest from scripts/setup.sh, so the two cannot drift.
FROM debian:12-slim

ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
COPY scripts/debian-packages.txt /tmp/debian-packages.txt
RUN apt-get update -qq \
 && grep -v -e '^#' -e '^$' /tmp/debian-packages.txt \
    | xargs apt-get install -y -qq --no-install-recommends \
 && rm -rf /var/lib/apt/lists/*

# The tools: this project's package in /opt/pamphlets/.venv, and the default colour profile.
COPY . /opt/pamphlets
RUN cd /opt/pamphlets \
 && PAMPHLETS_NO_APT=1 PAMPHLETS_SETUP_ONLY=1 bash scripts/setup.sh

ENV PATH=/opt/pamphlets/.venv/bin:$PATH NO_MKDOCS_2_WARNING=1
WORKDIR /project
ENTRYPOINT ["/opt/pamphlets/scripts/container-entry.sh"]
CMD ["pamphlets", "build"]
