"""The one application error type. Services raise it; the API renders it as RFC 9457 problem details."""


class AppError(Exception):
    """A failure a caller can act on: HTTP status, a stable code, a sentence, and optional field errors."""

    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        status: int | None = None,
        code: str | None = None,
        title: str | None = None,
        errors: dict[str, list[str]] | None = None,
    ):
        super().__init__(detail)
        self.detail = detail
        self.status = status or self.status
        self.code = code or self.code
        self.title = title or self.title
        self.errors = errors or {}


class NotFound(AppError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(AppError):
    status = 409
    code = "conflict"
    title = "Conflict"


class Gone(AppError):
    """It existed and was withdrawn on purpose (a revoked share link): unlike NotFound, the visitor is told so."""

    status = 410
    code = "gone"
    title = "Gone"


class PaymentRequired(AppError):
    status = 402
    code = "payment_required"
    title = "Paid plan required"


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class QuotaExceeded(AppError):
    status = 429
    code = "quota_exceeded"
    title = "Monthly scan quota reached"
