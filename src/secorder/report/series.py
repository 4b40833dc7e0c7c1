"""What the yearly system series mean, for axis labels and legends.

``kind`` says how a figure should show a series across runs: ``count`` series are small
integers each year (a band over them is a staircase of 0, 1, 2), so figures show the mean
yearly rate and the cumulative count per run; ``level`` series are shown as a mean with a
central band.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    """A recorded series as figures show it: its name, label, unit and kind (count or level)."""

    name: str
    label: str
    unit: str
    kind: str  # "count" or "level"
    scale: float = 1.0  # multiply the stored value by this to get ``unit``


SERIES: dict[str, Series] = {s.name: s for s in (
    Series("crises", "Crises", "crises per year", "count"),
    Series("militarised", "Militarised disputes", "disputes per year", "count"),
    Series("fatal", "Fatal disputes and wars", "per year", "count"),
    Series("wars", "Wars", "wars per year", "count"),
    Series("battle_deaths", "Battle deaths", "deaths per year", "count"),
    Series("regime_challenges", "Regime challenges (coups, armed challenges)", "per year", "count"),
    Series("regime_removals", "Governments removed", "per year", "count"),
    Series("arms_races_new", "Arms races starting", "per year", "count"),
    Series("mean_trust", "Mean trust between states", "trust, 0-1", "level"),
    Series("mean_belief", "Mean belief that others are aggressive", "probability, 0-1", "level"),
    Series("mean_norms", "Cooperative-norm internalisation", "0-1", "level"),
    Series("arms_burden", "Arms burden", "% of regional GDP", "level", 100.0),
    Series("order_index", "Order index", "0 balance of power .. 1 community", "level"),
    Series("threat", "Transnational threat level", "0-1", "level"),
    Series("ally_cost", "GDP lost by allies that joined fights", "bn USD per year", "level"),
    Series("leader_suspicion", "Others' belief the leading state is aggressive", "probability, 0-1", "level"),
    Series("rival_spending", "Military spending of the leader's rivals", "bn USD per year", "level"),
)}

STATE_SERIES_LABELS = {
    "gdp": ("GDP", "bn USD"),
    "milex": ("Military spending", "bn USD per year"),
    "burden": ("Military burden", "% of GDP"),
    "mil_stock": ("Military capital stock", "bn USD"),
    "regime": ("Regime score", "Polity2, -10..10"),
}


def describe(name: str) -> Series:
    """The description of a series (a plain one for series without an entry)."""
    return SERIES.get(name) or Series(name, name.replace("_", " "), "", "level")
