# The release image: goreleaser (dockers_v2 in .goreleaser.yaml) builds it
# from the static release binary it placed at $TARGETPLATFORM/composure.
# distroless/static has no shell or package manager, and runs as nonroot.
#
#   docker run --rm -v "$PWD:/work" ghcr.io/composure-dev/composure lint
FROM gcr.io/distroless/static-debian12:nonroot
ARG TARGETPLATFORM
COPY $TARGETPLATFORM/composure /usr/local/bin/composure
USER nonroot:nonroot
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/composure"]
CMD ["lint", "."]
