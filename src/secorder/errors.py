"""Errors that mean "the user's input is wrong", as opposed to a bug.

The command line turns every :class:`InputError` into a one-line message and exit
status 2, with no traceback. Library code raises them with the *field path* that is wrong
(``states[3].gdp``, ``parameters.onset_intercept``, ``MIDA_5.0.csv: column 'styear'``) so the
user can find it.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: a malformed scenario, unknown code, corrupt file, nonsensical parameter.

    Parameters
    ----------
    problems:
        One or more ``(field, message)`` pairs; ``field`` is a dotted path or a file name.
    field:
        The field when ``problems`` is a single message.

    Examples
    --------
    >>> print(InputError("must be positive", field="states[3].gdp"))
    states[3].gdp: must be positive
    >>> print(InputError([("states[3].gdp", "must be positive"), ("dyads[0].trsut", "unknown key")]))
    2 problems: states[3].gdp: must be positive; dyads[0].trsut: unknown key
    """

    def __init__(self, problems: list[tuple[str, str]] | str, field: str | None = None):
        if isinstance(problems, str):
            problems = [(field or "input", problems)]
        self.problems: list[tuple[str, str]] = list(problems)
        super().__init__(self.format())

    #: at most this many problems are spelled out in :meth:`format`
    MAX_SHOWN = 8

    def format(self) -> str:
        """One line: ``field: message``, or ``N problems: a; b; ...`` (the first few)."""
        lines = [f"{field}: {' '.join(str(message).split())}" for field, message in self.problems]
        if len(lines) == 1:
            return lines[0]
        shown = "; ".join(lines[: self.MAX_SHOWN])
        more = f"; ... and {len(lines) - self.MAX_SHOWN} more" if len(lines) > self.MAX_SHOWN else ""
        return f"{len(lines)} problems: {shown}{more}"


class ScenarioError(InputError):
    """A scenario file or object does not validate."""


class ParameterError(InputError):
    """A model parameter is unknown or out of its range."""


class DataError(InputError):
    """A data file is missing, malformed or corrupt."""
