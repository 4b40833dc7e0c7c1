"""Loaders for the standard peace-science datasets, generated from the dataset registry.

There is one ``load_*`` function per ``api`` of :data:`secorder.data.registry.DATASETS`; its
signature, choices and docstring come from the registry entries it serves. Each takes either an explicit ``path`` or a ``source_dir`` (default
``$SECORDER_DATA_DIR``) laid out like ``../shared/data`` (``cow_nmc/NMC-7.0_peacesciencer.csv``
and so on); the producers' own file names (``NMC-60-abridged.csv``, ``MIDA 5.0.csv``,
``contdird.csv``, ``atop5_1ddyr.csv``, ...) are also found, directly under ``source_dir`` or in
the standard sub-folder. Files may be gzip-compressed. Columns are typed, documented
missing-value codes are nulls, and a wrong or damaged file raises
:class:`~secorder.errors.DataError` naming the file and the problem.

Missing-value codes turned into nulls
-------------------------------------
* NMC, MID (A/B/I/IP), GML, dyadic MID, trade, wars: ``-9`` (and ``-8``, "not applicable",
  in the COW war participant file).
* Polity5: ``-66``, ``-77``, ``-88`` in ``democ``, ``autoc``, ``polity`` and the component
  variables. ``polity2`` is left alone: ``-9`` is a valid score there.
* COW IGO state-year membership: ``-9`` (missing) and ``-1`` (state not a system member or
  IGO not in existence).
* ATOP: ``yrexit``/``endyr`` of ``0`` (still in effect at the end of coverage) become null.
* Empty fields and the string ``NA`` everywhere.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import polars as pl

from secorder.data._io import Spec, identify, read_header, read_table, resolve_path, version_of
from secorder.data.citations import Source
from secorder.data.registry import (
    ALL_SPECS,
    DATASETS,
    IGO_STATE_YEAR,
    Dataset,
    family,
    loader_names,
)
from secorder.errors import DataError, InputError

PathLike = str | os.PathLike[str]


class Loaded(NamedTuple):
    """A loaded file and the provenance record for it."""

    frame: pl.DataFrame
    source: Source


def _format_for(ds: Dataset, path: Any) -> Spec:
    """The dataset's layout that ``path``'s header matches (the main one if none does)."""
    if not ds.formats:
        return ds.spec
    found = identify(read_header(path), ds.all_formats)
    return next((s for s in ds.all_formats if s.label == found), ds.spec)


def read(
    name: str,
    path: PathLike | None = None,
    source_dir: PathLike | None = None,
    spec: Spec | None = None,
) -> Loaded:
    """Load dataset ``name`` (a key of :data:`DATASETS`) with its provenance record.

    Parameters
    ----------
    name
        Dataset name, e.g. ``"nmc-7.0"``.
    path, source_dir
        Explicit file, or directory to search (default ``$SECORDER_DATA_DIR``).
    spec
        Format override (e.g. a subset of a wide file's columns).

    Returns
    -------
    Loaded
        The typed frame (normalised by the entry's ``post``) and its :class:`Source`.
    """
    ds = DATASETS[name]
    p = resolve_path(ds.label, ds.files, path, source_dir)
    df = read_table(p, spec or _format_for(ds, p), ALL_SPECS)
    found = version_of(df)
    known = dict(ds.versions).get(found) if found else None
    if ds.strict and known is not None and known != ds.version:
        raise DataError(
            f"this is {ds.label} {known} (version column {found}), not {ds.version}", field=p.name
        )
    version = known or ds.version
    if ds.post is not None:
        df = ds.post(df)
    return Loaded(df, Source(ds.key, ds.label, version, p.name, ds.references))


def choose(value: str, options: dict[str, str], what: str) -> str:
    """``options[value]``, or an :class:`~secorder.errors.InputError` listing the choices."""
    try:
        return options[value]
    except KeyError:
        raise InputError(
            f"unknown {what} {value!r}; choose one of {', '.join(options)}", field=what
        ) from None


# ---------------------------------------------------------------------------- generated loaders


def _na_note(spec: Spec) -> str:
    codes = sorted({c for _, cs in spec.na_codes for c in cs} | set(spec.rest_na_codes))
    return f"; missing codes {', '.join(map(str, codes))} are null" if codes else ""


def _loader_doc(members: Sequence[Dataset]) -> str:
    head = next((d.doc for d in members if d.doc), members[0].label)
    lines = [head, "", "Parameters", "----------", "path"]
    lines.append("    An explicit file (CSV, plain or gzip-compressed); wins over ``source_dir``.")
    choice = members[0].choice
    if choice is not None:
        lines.append(choice.keyword)
        for i, d in enumerate(members):
            assert d.choice is not None
            default = " (default)" if i == 0 else ""
            lines.append(
                f"    ``{d.choice.value!r}``{default}: {d.label} {d.version}"
                f" (``{d.files[0].rsplit('/', 1)[-1]}``){_na_note(d.spec)}."
            )
    lines += [
        "source_dir",
        "    Directory searched for the standard and the producers' file names (default",
        "    ``$SECORDER_DATA_DIR``).",
        "",
        "Returns",
        "-------",
        "polars.DataFrame",
        f"    Typed columns{_na_note(members[0].spec) if choice is None else ''}; a wrong or "
        "damaged file raises",
        "    :class:`~secorder.errors.DataError` naming the file and the problem.",
    ]
    return "\n".join(lines)


def make_loader(api: str) -> Callable[..., pl.DataFrame]:
    """Build the public loader ``api`` from the registry entries that name it."""
    members = family(api)
    choice = members[0].choice
    by_value = {d.choice.value: d.name for d in members if d.choice is not None}
    params = [
        inspect.Parameter("path", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None),
        inspect.Parameter("source_dir", inspect.Parameter.KEYWORD_ONLY, default=None),
    ]
    if choice is not None:
        params.append(
            inspect.Parameter(choice.keyword, inspect.Parameter.KEYWORD_ONLY, default=choice.value)
        )

    def load(
        path: PathLike | None = None, *, source_dir: PathLike | None = None, **kw: Any
    ) -> pl.DataFrame:
        if choice is None:
            if kw:
                raise TypeError(f"{api}() got unexpected keyword(s) {', '.join(kw)}")
            return read(members[0].name, path, source_dir).frame
        value = kw.pop(choice.keyword, choice.value)
        if kw:
            raise TypeError(f"{api}() got unexpected keyword(s) {', '.join(kw)}")
        return read(choose(value, by_value, choice.what), path, source_dir).frame

    load.__name__ = load.__qualname__ = api
    load.__module__ = __name__
    load.__doc__ = _loader_doc(members)
    load.__signature__ = inspect.Signature(params, return_annotation=pl.DataFrame)  # type: ignore[attr-defined]
    return load


LOADERS: dict[str, Callable[..., pl.DataFrame]] = {api: make_loader(api) for api in loader_names()}
"""Every public loader, by name, generated from the registry."""

globals().update(LOADERS)

_load_igo_forms = LOADERS["load_igo"]


def read_igo(
    form: str, path: PathLike | None, source_dir: PathLike | None, orgs: Sequence[str] | None
) -> Loaded:
    """COW IGO v3 in ``form`` with its provenance record; with ``orgs``, only those IGOs."""
    name = choose(
        form, {d.choice.value: d.name for d in family("load_igo") if d.choice}, "IGO form"
    )
    if orgs is None or form != "state-year":
        return read(name, path, source_dir)
    ds = DATASETS[name]
    p = resolve_path(ds.label, ds.files, path, source_dir)
    header = {h.lower() for h in read_header(p)} - {"ccode", "year", "state"}
    wanted = list(dict.fromkeys(o.strip().lower() for o in orgs))
    absent = [o for o in wanted if o not in header]
    if absent:
        raise DataError(
            f"IGO(s) {', '.join(absent)} not coded in COW IGO {ds.version}", field=p.name
        )
    spec = Spec(
        IGO_STATE_YEAR.label,
        columns=(("ccode", pl.Int64), ("year", pl.Int64), *((o, pl.Int64) for o in wanted)),
        na_codes=tuple((o, (-9, -1)) for o in wanted),
        signature=IGO_STATE_YEAR.signature,
    )
    return read(name, p, spec=spec)


def load_igo(
    path: PathLike | None = None,
    *,
    form: str = "state-year",
    source_dir: PathLike | None = None,
    orgs: Sequence[str] | None = None,
) -> pl.DataFrame:
    """The generated COW IGO loader, plus ``orgs``.

    With ``form="state-year"``, keep only these IGOs. An IGO the file does not code raises :class:`~secorder.errors.DataError` (the ASEAN
    Regional Forum, for instance, is not coded in IGO v3).
    """
    return read_igo(form, path, source_dir, orgs).frame


load_igo.__doc__ = f"{_load_igo_forms.__doc__}\n\n{load_igo.__doc__}"
LOADERS["load_igo"] = load_igo

__all__ = ["LOADERS", "Dataset", "Loaded", "choose", "read", "read_igo", *LOADERS]
