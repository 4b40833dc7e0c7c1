"""The readable history of one run: its crises and how they ended, and changes of order.

The dashboard shows :func:`run_history` (from a batch's event log); ``secorder story``
(:mod:`secorder.story`) tells a fuller history of one run with the same crisis sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def crisis_sentence(challenger: str, target: str, outcome: str, handled_by: str = "",
                    joined: Sequence[str] = (), abandoned: Sequence[str] = (), deaths: float = 0.0) -> str:
    """One crisis in words: who challenged whom, how it ended and who ended it, the allies, the dead.

    >>> crisis_sentence("PRK", "ROK", "war", joined=["USA"], deaths=12000)
    'PRK challenged ROK: war; allies joined: USA; 12,000 battle deaths'
    """
    text = f"{challenger} challenged {target}: {ENDINGS.get(outcome, outcome)}"
    if handled_by:
        text += f" (by {handled_by})"
    if joined:
        text += f"; allies joined: {', '.join(joined)}"
    if abandoned:
        text += f"; allies stayed out: {', '.join(abandoned)}"
    if deaths > 0:
        text += f"; {deaths:,.0f} battle deaths"
    return text


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
            parts.append(crisis_sentence(str(row.challenger), str(row.target), str(row.outcome), row.handled_by,
                                         [a for a in row.allies_joined.split(";") if a],
                                         [a for a in row.allies_abandoned.split(";") if a], row.battle_deaths))
        if t > 0 and orders[t] != orders[t - 1]:
            parts.append(f"the order became {orders[t].replace('_', ' ')}")
        if parts:
            lines.append(f"{year}: " + "; ".join(parts))
    if len(lines) == 1:
        lines.append("no crises in this run")
    return lines
