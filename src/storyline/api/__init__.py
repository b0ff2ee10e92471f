"""HTTP JSON API over the store (FastAPI): read-only unless started with a token."""
