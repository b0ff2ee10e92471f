"""Web UI: server-rendered pages, templates and static files served by the API process."""
