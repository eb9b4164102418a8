FROM nginx:latest
RUN true
