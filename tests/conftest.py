"""Web fixtures for every test module (other modules import their own fixtures explicitly)."""

from tests.web_fixtures import app, as_user, client, session, web_project  # noqa: F401
