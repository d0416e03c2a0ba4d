"""Build apps/dossiers/data/postcodes.tsv.gz from the GeoNames postal-code exports (CC BY 4.0, GeoNames).

One row per (country, postcode): the mean of the GeoNames rows for that postcode (a BE postcode can cover
several places; an NL four-digit area sometimes has two rows) and the first place name. Run once when the
source tables change:

    .venv/bin/python scripts/build_postcode_table.py ../shared/data/geo/geonames_postal_codes_NL.txt \
        ../shared/data/geo/geonames_postal_codes_BE.txt
"""

import csv
import gzip
import sys
from collections import defaultdict
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "apps" / "dossiers" / "data" / "postcodes.tsv.gz"


def main(sources: list[str]) -> None:
    points: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    for source in sources:
        with open(source, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t"):
                country, postcode, place, lat, lon = row[0], row[1].strip(), row[2], row[9], row[10]
                points[(country, postcode)].append((float(lat), float(lon), place))
    lines = [
        "# GeoNames postal codes (geonames.org), CC BY 4.0. country\tpostcode\tplace\tlatitude\tlongitude"
    ]
    for (country, postcode), rows in sorted(points.items()):
        lat = sum(r[0] for r in rows) / len(rows)
        lon = sum(r[1] for r in rows) / len(rows)
        lines.append(f"{country}\t{postcode}\t{rows[0][2]}\t{lat:.4f}\t{lon:.4f}")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    print(f"{TARGET}: {len(lines) - 1} postcodes, {TARGET.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
