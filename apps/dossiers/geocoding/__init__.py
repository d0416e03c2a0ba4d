"""Address → coordinates for a dossier: the embedded GeoNames postcode table, and in production (where
configured) the exact address from PDOK Locatieserver (NL) or the Flemish geolocation service (BE).

Like the weather client, each online service is a network call (``fetch_*``) kept apart from a pure
parser (``parse_*``) that is tested on recorded bodies in the vendor's documented format."""
