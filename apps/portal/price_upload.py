"""The household's own day-ahead prices from a CSV upload, for the scan form's dynamic contract.

A file holds one price per hour for a whole year without 29 February (8760 rows, the engine's time base,
first row = 1 January 00:00-01:00 local time), optionally after one header line. A row is either just the
price or "timestamp;price" (the last column is read). Separators ";", tab or ","; decimal comma or point
(a Dutch export reads "45,31"). The unit is chosen in the form: €/MWh as ENTSO-E and EPEX publish them,
or €/kWh. The result goes to the API's existing ``tariff.dayAheadEurPerKwh`` (8760 values [€/kWh])."""

from django.utils.translation import gettext as _

HOURS = 8760
MAX_BYTES = 2 * 1024 * 1024  # 8760 rows with a timestamp are ~300 kB
UNITS = {"eur_per_mwh": 1 / 1000.0, "eur_per_kwh": 1.0}


class PriceFileError(ValueError):
    """The file cannot be read as 8760 hourly prices; the message says which rule and where."""


def _number(cell: str) -> float:
    cell = cell.strip().strip('"').replace("\u20ac", "").strip()
    if "," in cell and "." in cell:  # 1.234,56 (Dutch thousands) or 1,234.56 (English thousands)
        cell = (
            cell.replace(".", "").replace(",", ".")
            if cell.rfind(",") > cell.rfind(".")
            else cell.replace(",", "")
        )
    return float(cell.replace(",", "."))


def _price_cell(line: str) -> str:
    for separator in (";", "\t"):
        if separator in line:
            return line.split(separator)[-1]
    try:
        _number(line)  # a lone "45,31" is one price with a decimal comma, not two columns
        return line
    except ValueError:
        return line.split(",")[-1]


def parse_price_csv(data: bytes, *, unit: str) -> list[float]:
    """8760 prices [€/kWh] from the file's bytes; raises PriceFileError."""
    if unit not in UNITS:
        raise PriceFileError(_("Choose the unit of the prices in the file."))
    if len(data) > MAX_BYTES:
        raise PriceFileError(_("The price file is larger than 2 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PriceFileError(_("The price file is not a UTF-8 text (CSV) file.")) from exc
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    prices: list[float] = []
    for number, line in enumerate(lines, start=1):
        try:
            prices.append(_number(_price_cell(line)) * UNITS[unit])
        except ValueError as exc:
            if number == 1 and not prices:
                continue  # a header line
            raise PriceFileError(
                _("Line %(line)s of the price file holds no number: “%(text)s”.")
                % {"line": number, "text": line[:60]}
            ) from exc
    if len(prices) != HOURS:
        raise PriceFileError(
            _("The price file needs %(hours)s hourly prices (one year without 29 February), it holds %(n)s.")
            % {"hours": HOURS, "n": len(prices)}
        )
    return prices
