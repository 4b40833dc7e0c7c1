"""Named regions as sets of COW state codes.

Regional definitions:

``asia-pacific``
    The state members of the ASEAN Regional Forum located in East Asia, Southeast Asia, the
    Pacific and North America (the ARF's 26 state members minus its four South Asian members,
    Bangladesh, India, Pakistan and Sri Lanka), plus Taiwan, plus the predecessor states Korea
    (730) and the Republic of Vietnam (817) so that historical years work.
``northeast-asia``
    USA, China, Japan, Russia, South Korea, North Korea.
``southeast-asia``
    The ten ASEAN members, Timor-Leste and the Republic of Vietnam.
``americas``, ``europe``, ``africa``, ``middle-east``, ``asia``
    The five COW regions by numeric code range (2-165, 200-399, 402-626, 630-698, 700-990;
    ``asia`` includes Oceania).
``world``
    Every state (codes 2-990): with the state system of a year, all its members.

A state belongs to a panel only in the years it is a system member, so region membership is
the intersection of the set below with the state system of each year.
"""

from __future__ import annotations

from secorder.data.codes import COW_STATES, cow_code
from secorder.errors import InputError

_NAMED: dict[str, tuple[str, ...]] = {
    "asia-pacific": (
        "USA", "CAN", "RUS", "CHN", "TAW", "JPN", "ROK", "PRK", "KOR", "MON",
        "MYA", "THI", "CAM", "LAO", "DRV", "RVN", "MAL", "SIN", "BRU", "PHI", "INS", "ETM",
        "AUL", "PNG", "NEW",
    ),
    "northeast-asia": ("USA", "CHN", "JPN", "RUS", "ROK", "PRK"),
    "southeast-asia": (
        "MYA", "THI", "CAM", "LAO", "DRV", "RVN", "MAL", "SIN", "BRU", "PHI", "INS", "ETM",
    ),
}  # fmt: skip

_RANGES: dict[str, tuple[int, int]] = {
    "americas": (2, 165),
    "europe": (200, 399),
    "africa": (402, 626),
    "middle-east": (630, 698),
    "asia": (700, 990),
    "world": (2, 990),
}


def region_names() -> list[str]:
    """Names accepted by :func:`region_codes`."""
    return [*_NAMED, *_RANGES]


def region_codes(name: str) -> frozenset[int]:
    """COW numeric codes of the states in region ``name``.

    Raises
    ------
    InputError
        If the region is unknown.
    """
    key = name.strip().lower()
    if key in _NAMED:
        return frozenset(cow_code(a) for a in _NAMED[key])
    if key in _RANGES:
        lo, hi = _RANGES[key]
        return frozenset(c for c, _, _ in COW_STATES if lo <= c <= hi)
    raise InputError(
        f"unknown region {name!r}; known regions: {', '.join(region_names())}", field="region"
    )
