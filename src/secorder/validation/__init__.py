"""Empirical validity: target moments from data, calibration, and out-of-sample backtests.

:mod:`~secorder.validation.targets` computes what happened (and the same from simulated runs),
:mod:`~secorder.validation.calibrate` fits declared parameters to declared targets by the
simulated method of moments, :mod:`~secorder.validation.scores` and
:mod:`~secorder.validation.baselines` score forecasts, and
:mod:`~secorder.validation.backtest` runs the rolling-origin evaluation.
"""
