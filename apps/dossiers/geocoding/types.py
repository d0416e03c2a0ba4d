from dataclasses import dataclass


@dataclass(frozen=True)
class AddressPoint:
    """An address's point as an address service returned it."""

    latitude: float  # [degrees WGS84]
    longitude: float  # [degrees WGS84]
    label: str  # the service's own spelling of the address
