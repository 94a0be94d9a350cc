"""HTTP service and web workbench: ``create_app(settings)`` builds the FastAPI application."""

from iplayout.api.app import create_app

__all__ = ["create_app"]
