FROM ubuntu:22.04
FROM \
