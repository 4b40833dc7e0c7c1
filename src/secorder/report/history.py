"""The readable history of one run: its crises and how they ended, and changes of order."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from secorder.orders import ORDER_KINDS

if TYPE_CHECKING:
    from secorder.results import Results

ENDINGS = {
    "forum": "defused in a forum",
    "concert": "managed by a concert",
    "deterrence": "deterred",
    "settlement": "settled after a militarised standoff",
    "dispute": "a fatal militarised dispute",
    "war": "war",
}


def order_path(res: Results, run: int) -> list[str]:
    """The kind of order in each year of one run (needs ``record='full'``)."""
    if res.system is None:
        raise ValueError("the order of each run is kept only with record='full'")
    shares = np.stack([res.system[f"order_{k}"][run] for k in ORDER_KINDS])
    return [ORDER_KINDS[c] for c in shares.argmax(axis=0)]


def run_history(res: Results, run: int) -> list[str]:
    """One line per year with something to tell: crises, their ending, allies, order changes."""
    if not 0 <= run < res.runs:
        raise ValueError(f"run must be in 0..{res.runs - 1}, got {run}")
    ev = res.events
    ev = ev[ev["run"] == run]
    orders = order_path(res, run)
    lines = [f"{res.scenario.year}: the order is {orders[0].replace('_', ' ')}"]
    for t, year in enumerate(res.year_index):
        parts = []
        for row in ev[ev["year"] == year].itertuples():
            text = f"{row.challenger} challenged {row.target}: {ENDINGS.get(str(row.outcome), str(row.outcome))}"
            if row.handled_by:
                text += f" (by {row.handled_by})"
            if row.allies_joined:
                text += f"; allies joined: {row.allies_joined.replace(';', ', ')}"
            if row.allies_abandoned:
                text += f"; allies stayed out: {row.allies_abandoned.replace(';', ', ')}"
            if row.battle_deaths > 0:
                text += f"; {row.battle_deaths:,.0f} battle deaths"
            parts.append(text)
        if t > 0 and orders[t] != orders[t - 1]:
            parts.append(f"the order became {orders[t].replace('_', ' ')}")
        if parts:
            lines.append(f"{year}: " + "; ".join(parts))
    if len(lines) == 1:
        lines.append("no crises in this run")
    return lines
