"""The outcome registry: every per-run outcome, by name, with its meaning and how it is computed.

An outcome turns the yearly system series a run recorded (:mod:`secorder.recording`, each an
``(R, T)`` array over runs and years) into one number per run. Each is registered once, here,
with a label, a unit, which direction is better, a one-line definition and the series it reads;
the summary, ``compare``, the experiments, the CLI (``secorder outcomes``) and the docs all take
their outcomes from :data:`OUTCOMES`.

Adding an outcome is one call to :func:`register` with a small pure function over arrays::

    register(Outcome(
        name="wars_per_decade", label="Wars per decade", unit="count", better="lower",
        definition="Crises that ended in war, summed over the run's years, per 10 years.",
        reads=("wars",), compute=per_decade("wars"),
    ))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from secorder.recording import CONDITION_SERIES, ENDED_BY, ORDER_SHARES, SYSTEM_SERIES

Series = Mapping[str, np.ndarray]  # recorded system series, name -> (R, T)
Better = Literal["lower", "higher", "neither"]
BETTER: tuple[Better, ...] = ("lower", "higher", "neither")


@dataclass(frozen=True)
class Outcome:
    """One per-run outcome.

    ``better`` says which direction is better for the region (``"lower"``, ``"higher"``, or
    ``"neither"`` for descriptive outcomes such as the share of years in a kind of order);
    ``reads`` names the recorded system series ``compute`` uses.
    """

    name: str
    label: str
    unit: str
    better: Better
    definition: str
    reads: tuple[str, ...]
    compute: Callable[[Series], np.ndarray]

    def __call__(self, series: Series) -> np.ndarray:
        """(R,) value of the outcome for each run."""
        return self.compute(series)


OUTCOMES: dict[str, Outcome] = {}
"""Every registered outcome by name, in registration (display) order."""


def register(outcome: Outcome) -> Outcome:
    """Add an outcome to :data:`OUTCOMES` (names are unique; metadata is checked)."""
    problems = []
    if outcome.name in OUTCOMES:
        problems.append("is already registered")
    if outcome.better not in BETTER:
        problems.append(f"better must be one of {BETTER}, got {outcome.better!r}")
    if not (outcome.label and outcome.unit and outcome.definition):
        problems.append("needs a label, a unit and a definition")
    unknown = [s for s in outcome.reads if s not in SYSTEM_SERIES]
    if not outcome.reads or unknown:
        problems.append(f"reads unknown or no recorded series {unknown}")
    if problems:
        raise ValueError(f"outcome {outcome.name!r}: " + "; ".join(problems))
    OUTCOMES[outcome.name] = outcome
    return outcome


def get_outcome(name: str) -> Outcome:
    """The registered outcome ``name``, or a ``KeyError`` listing the valid names."""
    try:
        return OUTCOMES[name]
    except KeyError:
        raise KeyError(f"unknown outcome {name!r}; choose from: {', '.join(OUTCOMES)}") from None


def run_outcomes(series: Series, names: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """(R,) value of every outcome (or of ``names``) for each run."""
    return {n: OUTCOMES[n](series) for n in (names or tuple(OUTCOMES))}


def outcome_table() -> list[dict[str, str]]:
    """One row per outcome (name, label, unit, better, definition, reads), for docs and the CLI."""
    return [
        {"name": o.name, "label": o.label, "unit": o.unit, "better": o.better, "definition": o.definition,
         "reads": ", ".join(o.reads)}
        for o in OUTCOMES.values()
    ]


# ---------------------------------------------------------------------------------------------
# Building blocks: small pure functions over (R, T) series


def per_decade(key: str) -> Callable[[Series], np.ndarray]:
    """Sum over the run's years, scaled to 10 years."""
    return lambda s: s[key].sum(axis=1) * 10.0 / s[key].shape[1]


def total(key: str) -> Callable[[Series], np.ndarray]:
    """Sum over the run's years."""
    return lambda s: s[key].sum(axis=1)


def final(key: str) -> Callable[[Series], np.ndarray]:
    """Value in the final year."""
    return lambda s: s[key][:, -1]


def mean_over_years(key: str, scale: float = 1.0) -> Callable[[Series], np.ndarray]:
    """Mean over the run's years (times ``scale``, e.g. 100 for a percentage)."""
    if scale == 1.0:
        return lambda s: s[key].mean(axis=1)
    return lambda s: scale * s[key].mean(axis=1)


def prd_dispute_rate(s: Series) -> np.ndarray:
    """Militarised disputes per 1,000 politically relevant dyad-years (the calibration target)."""
    return 1000.0 * s["prd_disputes"].sum(axis=1) / np.maximum(s["prd_dyads"].sum(axis=1), 1.0)


def pooled_share(numerator: str, denominator: str) -> Callable[[Series], np.ndarray]:
    """Sum of ``numerator`` over the run's years over the sum of ``denominator`` (0 where that is 0).

    Pool runs by summing the two series across runs (the mean of per-run shares weighs each run alike).
    """
    def share(s: Series) -> np.ndarray:
        den = s[denominator].sum(axis=1)
        return np.divide(s[numerator].sum(axis=1), den, out=np.zeros(den.shape), where=den > 0)
    return share


def _per_decade_outcome(name: str, label: str, key: str, better: Better, what: str) -> Outcome:
    return register(Outcome(name, label, "count", better, f"{what}, summed over the run's years, per 10 years.",
                            (key,), per_decade(key)))


# ---------------------------------------------------------------------------------------------
# The outcomes (registration order is the order of summaries and tables)

_per_decade_outcome("crises_per_decade", "Crises per decade", "crises", "lower",
                    "Crises (directed challenges drawn at onset)")
_per_decade_outcome("disputes_per_decade", "Militarised disputes per decade", "militarised", "lower",
                    "Crises that neither a forum nor a concert ended (deterrence, settlement, dispute or war)")
_per_decade_outcome("fatal_disputes_per_decade", "Fatal disputes and wars per decade", "fatal", "lower",
                    "Crises that ended in a fight (dispute or war)")
_per_decade_outcome("wars_per_decade", "Wars per decade", "wars", "lower",
                    "Crises that ended in war (at least 1,000 battle deaths)")
register(Outcome("battle_deaths", "Battle deaths (total)", "deaths", "lower",
                 "Battle deaths in all crises, summed over the run's years.", ("battle_deaths",),
                 total("battle_deaths")))
register(Outcome("arms_burden_pct", "Arms burden (% of regional GDP)", "%", "lower",
                 "Regional military spending over regional GDP, mean over the run's years, in percent.",
                 ("arms_burden",), mean_over_years("arms_burden", 100)))
register(Outcome("arms_race_episodes", "Arms-race episodes", "count", "lower",
                 "Pairs whose mutual build-up reached `arms_race_years` consecutive years, counted when it "
                 "starts.", ("arms_races_new",), total("arms_races_new")))
register(Outcome("mean_trust_final", "Mean trust, final year", "0-1", "higher",
                 "Mean trust over ordered pairs of states in the final year.", ("mean_trust",), final("mean_trust")))
register(Outcome("ally_cost_bn", "GDP lost by allies that joined fights", "bn USD", "lower",
                 "GDP lost by states that joined fights on an ally's side, summed over the run's years.",
                 ("ally_cost",), total("ally_cost")))
register(Outcome("prd_dispute_rate", "Disputes per 1,000 politically relevant dyad-years", "rate", "lower",
                 "Pairs in a militarised dispute per 1,000 politically relevant (contiguous or major-power) "
                 "pair-years; the onset calibration target.", ("prd_disputes", "prd_dyads"), prd_dispute_rate))
_per_decade_outcome("dispute_years_per_decade", "Dispute-years per decade", "dispute_years", "lower",
                    "Pairs with an active militarised dispute, new or going on from earlier years")
_per_decade_outcome("ongoing_disputes_per_decade", "Ongoing dispute-years per decade", "disputes_ongoing", "lower",
                    "Pairs whose militarised dispute from an earlier year went on (not a new onset)")
_per_decade_outcome("dispute_endings_per_decade", "Disputes ended per decade", "disputes_ended", "neither",
                    "Militarised disputes that ended (counted the year after their last year)")
register(Outcome("prd_recurrence", "Chance of a new dispute the year after a dispute (politically relevant pairs)",
                 "share", "lower", "New militarised disputes among politically relevant pairs with an active dispute "
                 "the year before, over those pairs, pooled over the run's years (the MID persistence moment; 0 in a "
                 "run without such pairs).",
                 ("prd_onsets_after_dispute", "prd_after_dispute"), pooled_share("prd_onsets_after_dispute",
                                                                                  "prd_after_dispute")))
register(Outcome("prd_onset_after_peace", "Chance of a new dispute the year after none (politically relevant pairs)",
                 "share", "lower", "New militarised disputes among politically relevant pairs without an active "
                 "dispute the year before, over those pairs, pooled over the run's years.",
                 ("prd_onsets_after_peace", "prd_after_peace"), pooled_share("prd_onsets_after_peace",
                                                                             "prd_after_peace")))
_per_decade_outcome("regime_challenges_per_decade", "Regime challenges per decade", "regime_challenges", "lower",
                    "Domestic challenges to a government")
_per_decade_outcome("regime_removals_per_decade", "Governments removed per decade", "regime_removals", "lower",
                    "Governments removed by a domestic challenge")
register(Outcome("mean_norms_final", "Cooperative-norm internalisation, final year", "0-1", "higher",
                 "Mean internalisation of cooperative norms over states in the final year.", ("mean_norms",),
                 final("mean_norms")))
register(Outcome("order_index_final", "Order index, final year (0 balance of power, 1 community)", "0-1", "higher",
                 "Mean of trust, 1 - belief that others are aggressive, and the share of pairs with community "
                 "trust, in the final year.", ("order_index",), final("order_index")))
register(Outcome("layered_share", "Share of years the order is layered", "share", "neither",
                 "Share of the run's years with a hegemonic or balance-of-power order under a multilateral layer.",
                 ("order_layered",), mean_over_years("order_layered")))
for _key in ORDER_SHARES:
    _kind = _key.removeprefix("order_")
    register(Outcome(f"share_{_kind}", f"Share of years: {_kind.replace('_', ' ')}", "share", "neither",
                     f"Share of the run's years the order is classified as {_kind.replace('_', ' ')}.",
                     (_key,), mean_over_years(_key)))
register(Outcome("leader_suspicion_final", "Others' belief the leading state is aggressive, final year", "0-1",
                 "lower", "Mean belief of the other states that the most capable state is aggressive, final year.",
                 ("leader_suspicion",), final("leader_suspicion")))
register(Outcome("balancing_burden_pct", "Arms burden of the leader's rivals (%, mean over years)", "%", "lower",
                 "Mean military burden of the states with a quarrel with the leading state, mean over the run's "
                 "years, in percent.", ("balancing_burden",), mean_over_years("balancing_burden", 100)))
register(Outcome("rival_spending_final_bn", "Military spending of the leader's rivals, final year", "bn USD",
                 "lower", "Total military spending of the states with a quarrel with the leading state, final year.",
                 ("rival_spending",), final("rival_spending")))
register(Outcome("leader_ally_cost_bn", "GDP the leading state lost fighting for allies", "bn USD", "lower",
                 "GDP the leading state lost fighting on its allies' side, summed over the run's years.",
                 ("leader_ally_cost",), total("leader_ally_cost")))
register(Outcome("regime_formed_final", "A potential regional regime has formed by the final year", "share",
                 "neither", "1 if an institution the scenario lists as potential has at least two members in the "
                 "final year, else 0.", ("regime_formed",), final("regime_formed")))
_CONDITION_TEXT = {
    "arrangements": "(a) share of charter pairs already sharing a security institution",
    "interdependence": "(b) charter pairs' trade dependence against the reference",
    "threat": "(c) common threat: shared transnational threat events and a common outside adversary",
    "support": "(d) support of the key actors, the geometric mean of leadership and willingness",
    "leadership": "(d) chance the most willing major power of the charter sponsors the regime",
    "willingness": "(d) charter states' mean willingness to accept the regime's rules",
}
for _key in CONDITION_SERIES:
    _c = _key.removeprefix("condition_")
    register(Outcome(f"condition_{_c}_mean", f"F2 condition {_c} (mean over years)", "0-1", "higher",
                     f"F2 condition {_CONDITION_TEXT[_c]}, for the first potential regime's charter (else the "
                     "whole region), computed from the run each year; mean over the run's years.",
                     (_key,), mean_over_years(_key)))
for _key in ENDED_BY:
    _layer = _key.removeprefix("ended_")
    _per_decade_outcome(f"{_key}_per_decade", f"Crises ended by {_layer} per decade", _key, "neither",
                        f"Crises whose outcome was {_layer}")
del _key, _kind, _layer, _c
