"""What DeepL's failures mean to a user: one error class per case, a message naming the fix."""

from __future__ import annotations

from http import HTTPStatus

import deepl

from . import MTError
from . import QuotaExceeded as AnyQuotaExceeded


class DeepLError(MTError):
    """DeepL could not translate; the message says why and what to do."""


class DeepLAuthError(DeepLError):
    """DeepL refused the authentication key (403)."""


class QuotaExceeded(DeepLError, AnyQuotaExceeded):
    """The DeepL character quota is used up (456): stop, keep the finished batches."""


class DeepLUnavailable(DeepLError):
    """DeepL kept answering 429 or 5xx after the client's retries."""


class DeepLConnectionError(DeepLError):
    """The DeepL server could not be reached or did not answer in time."""


class DeepLRequestError(DeepLError):
    """DeepL rejected the request itself (400, 404, 413 for a single text)."""


def error_for(e: deepl.DeepLException, server_url: str, text: str = "") -> DeepLError:
    """The paragraf error for a client exception, naming what to check (``text``: a 413's)."""
    where = f"DeepL at {server_url}"
    retries = deepl.http_client.max_network_retries
    status = e.http_status_code
    if isinstance(e, deepl.AuthorizationException):
        return DeepLAuthError(
            f"{where} refused the key (403 Forbidden): check DEEPL_AUTH_KEY; a DeepL API"
            " Free key ends in ':fx', and DEEPL_SERVER_URL must match the key's plan"
        )
    if isinstance(e, deepl.QuotaExceededException):
        return QuotaExceeded(
            f"{where}: the character quota for this billing period is used up"
            " (456 Quota Exceeded); the drafts made so far are kept. Raise the limit in"
            " your DeepL account or wait for the next period, then draft again"
        )
    if isinstance(e, deepl.ConnectionException):
        return DeepLConnectionError(
            f"cannot reach {where} after {retries} retries ({e}); check DEEPL_SERVER_URL"
            " and the network, then try again"
        )
    if status == 429 or (status is not None and status >= 500):
        reason = "429 Too Many Requests" if status == 429 else f"{status} {_reason(status)}"
        return DeepLUnavailable(
            f"{where} kept answering {reason} after {retries} retries; DeepL is"
            " overloaded or down, wait a few minutes and try again"
        )
    if status == 413:
        return DeepLRequestError(
            f"{where} refused a single text as too large (413): {text[:60]!r}… is"
            f" {len(text.encode())} bytes; split that paragraph in the source article"
        )
    return DeepLRequestError(f"{where} rejected the request: {e}")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Server Error"
