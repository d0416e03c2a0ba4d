"""The one exception type raised for files that cannot become an hourly profile."""

from __future__ import annotations

# Error codes (stable identifiers; the upload service maps them to API problem types / translations).
EMPTY = "empty"
TOO_LARGE = "too_large"
P1_TELEGRAM = "p1_telegram"
GAS = "gas"
NOT_ELECTRICITY = "not_electricity"
DAILY = "daily"
UNKNOWN_FORMAT = "unknown_format"
BAD_ROWS = "bad_rows"
UNSUPPORTED_RESOLUTION = "unsupported_resolution"
TOO_SHORT = "too_short"
NO_DATA = "no_data"

ERROR_CODES = (
    EMPTY,
    TOO_LARGE,
    P1_TELEGRAM,
    GAS,
    NOT_ELECTRICITY,
    DAILY,
    UNKNOWN_FORMAT,
    BAD_ROWS,
    UNSUPPORTED_RESOLUTION,
    TOO_SHORT,
    NO_DATA,
)


class MeterFileError(ValueError):
    """A meter file was rejected.

    ``code`` is one of :data:`ERROR_CODES`; ``message`` is written for the homeowner or installer who
    uploaded the file (what the file is, what to upload instead), in English, and a :class:`Note` where
    it is raised so the Django side can show it in the user's language (``translated``); ``lines`` holds the 1-based line
    numbers of the first offending rows when the problem is in specific rows.
    """

    def __init__(self, code: str, message: str, lines: list[int] | tuple[int, ...] = ()) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown meter file error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.lines = list(lines)

    def __repr__(self) -> str:
        return f"MeterFileError(code={self.code!r}, message={self.message!r}, lines={self.lines!r})"
