"""Reading and validating data files.

Every loader goes through :func:`read_table`: it resolves the file (an explicit path, or a
search of a source directory for the standard and the producers' file names), checks the
header against a :class:`Spec`, reads the needed columns with explicit types (plain or
gzip-compressed CSV), and turns documented missing-value codes into nulls. Anything wrong
raises :class:`~secorder.errors.DataError` naming the file and the problem.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from secorder.errors import DataError

ENV_VAR = "SECORDER_DATA_DIR"
"""Environment variable naming the default source directory."""

_GZIP_MAGIC = b"\x1f\x8b"
_NULL_STRINGS = ("", "NA", "NaN", ".")


class DataFileNotFound(DataError):
    """No file for a dataset was given or found (as opposed to a file that is wrong)."""


@dataclass(frozen=True)
class Spec:
    """How to read one file format.

    Parameters
    ----------
    label
        Human-readable name of the format, used in error messages.
    columns
        Required ``(name, dtype)`` pairs; ``name`` is the name in the returned frame.
    optional
        Columns read when present.
    aliases
        ``(name in file, name in frame)`` pairs for producers that spell a column differently.
        Column names are matched case-insensitively.
    na_codes
        ``(column, codes)`` pairs: values turned into nulls.
    signature
        Columns that identify the format; used to tell the user which dataset a wrong file is.
    rest
        If set, read every other column of the file with this dtype (wide formats).
    rest_exclude
        Columns never read under ``rest``.
    rest_na_codes
        Missing-value codes for the ``rest`` columns.
    """

    label: str
    columns: tuple[tuple[str, type[pl.DataType]], ...]
    optional: tuple[tuple[str, type[pl.DataType]], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    na_codes: tuple[tuple[str, tuple[int, ...]], ...] = ()
    signature: tuple[str, ...] = ()
    rest: type[pl.DataType] | None = None
    rest_exclude: tuple[str, ...] = ()
    rest_na_codes: tuple[int, ...] = field(default=())


def resolve_path(
    label: str,
    candidates: Sequence[str],
    path: str | os.PathLike[str] | None = None,
    source_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Find the file for a dataset.

    Parameters
    ----------
    label
        Dataset name for error messages.
    candidates
        Relative paths to try under ``source_dir``, best first (standard layout first). Each is
        also tried by its bare file name directly under ``source_dir``.
    path
        Explicit file; wins over ``source_dir``.
    source_dir
        Directory to search; defaults to ``$SECORDER_DATA_DIR``.

    Returns
    -------
    Path
        An existing file.
    """
    if path is not None:
        p = Path(path).expanduser()
        if not p.is_file():
            raise DataFileNotFound(f"file not found: {p}", field=p.name)
        return p
    root = source_dir if source_dir is not None else os.environ.get(ENV_VAR)
    if root is None:
        raise DataFileNotFound(
            f"no file given: pass a path, a source_dir, or set ${ENV_VAR}", field=label
        )
    base = Path(root).expanduser()
    if not base.is_dir():
        raise DataFileNotFound(f"source directory not found: {base}", field="source_dir")
    for rel in candidates:
        for p in (base / rel, base / Path(rel).name):
            if p.is_file():
                return p
    names = ", ".join(dict.fromkeys(Path(c).name for c in candidates))
    raise DataFileNotFound(f"none of {names} found under {base}", field=label)


def _open_text(path: Path) -> io.TextIOBase:
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == _GZIP_MAGIC:
        return gzip.open(path, "rt", encoding="utf-8-sig", errors="replace")  # type: ignore[return-value]
    return open(path, encoding="utf-8-sig", errors="replace")


def read_header(path: Path) -> list[str]:
    """Column names of a CSV file (plain or gzip), with any byte-order mark removed."""
    try:
        with _open_text(path) as fh:
            line = fh.readline()
    except (OSError, EOFError) as exc:
        raise DataError(f"cannot read the file ({_reason(exc)})", field=path.name) from exc
    if not line.strip():
        raise DataError("the file is empty (no header line)", field=path.name)
    header = next(csv.reader([line]))
    if len(header) == 1 and ("\t" in line or ";" in line):
        raise DataError("not a comma-separated file (found tabs or semicolons)", field=path.name)
    return [h.strip() for h in header]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, gzip.BadGzipFile | EOFError) or "end of file" in str(exc).lower():
        return f"corrupt or truncated gzip data: {exc}"
    return str(exc) or type(exc).__name__


def identify(header: Iterable[str], specs: Iterable[Spec]) -> str | None:
    """Label of the format whose signature columns all appear in ``header``, if any."""
    names = {h.lower() for h in header}
    best: tuple[int, str] | None = None
    for spec in specs:
        sig = {s.lower() for s in spec.signature}
        if sig and sig <= names and (best is None or len(sig) > best[0]):
            best = (len(sig), spec.label)
    return best[1] if best else None


def _select(
    path: Path, header: list[str], spec: Spec, others: Iterable[Spec]
) -> dict[str, tuple[str, type[pl.DataType]]]:
    """Map file column -> (frame column, dtype); raise if a required column is missing."""
    by_lower = {h.lower(): h for h in header}
    alias_of: dict[str, list[str]] = {}
    for file_name, frame_name in spec.aliases:
        alias_of.setdefault(frame_name, []).append(file_name)
    chosen: dict[str, tuple[str, type[pl.DataType]]] = {}
    missing: list[str] = []
    for required, group in ((True, spec.columns), (False, spec.optional)):
        for name, dtype in group:
            found = next(
                (
                    by_lower[n.lower()]
                    for n in (name, *alias_of.get(name, ()))
                    if n.lower() in by_lower
                ),
                None,
            )
            if found is not None:
                chosen[found] = (name, dtype)
            elif required:
                missing.append(name)
    if missing:
        guess = identify(header, others)
        hint = f"; this looks like a {guess} file" if guess and guess != spec.label else ""
        raise DataError(
            f"missing column(s) {', '.join(missing)} needed for {spec.label}{hint}", field=path.name
        )
    if spec.rest is not None:
        skip = {e.lower() for e in spec.rest_exclude}
        for h in header:
            if h not in chosen and h.lower() not in skip and h:
                chosen[h] = (h.lower(), spec.rest)
    return chosen


def _diagnose(path: Path, chosen: dict[str, tuple[str, type[pl.DataType]]]) -> pl.DataFrame:
    """Slow path: read as text, cast column by column, name the first bad value."""
    raw = _read_csv(path, {c: pl.String for c in chosen})
    out = []
    for col, (_, dtype) in chosen.items():
        s = raw[col]
        cast = s.cast(dtype, strict=False)
        if dtype in (pl.Int64, pl.Int32) and cast.null_count() > s.null_count():
            as_float = s.cast(pl.Float64, strict=False)
            whole = as_float.is_null() | (as_float == as_float.round(0))
            if as_float.null_count() == s.null_count() and bool(whole.all()):
                cast = as_float.cast(dtype)
        bad = (cast.is_null() & s.is_not_null()).arg_true()
        if len(bad):
            i = int(bad[0])
            raise DataError(
                f"column '{col}', line {i + 2}: cannot read {s[i]!r} as {dtype.__name__}",
                field=path.name,
            )
        out.append(cast)
    return pl.DataFrame(out)


def _read_csv(path: Path, schema: dict[str, type[pl.DataType]]) -> pl.DataFrame:
    try:
        return pl.read_csv(
            path,
            columns=list(schema),
            schema_overrides=schema,
            null_values=list(_NULL_STRINGS),
            infer_schema=False,
            encoding="utf8-lossy",
            truncate_ragged_lines=False,
        )
    except (OSError, EOFError) as exc:
        raise DataError(f"cannot read the file ({_reason(exc)})", field=path.name) from exc


@functools.lru_cache(maxsize=48)
def _read_cached(
    path_str: str, stamp: tuple[int, int], spec: Spec, others: tuple[Spec, ...]
) -> pl.DataFrame:
    path = Path(path_str)
    header = read_header(path)
    chosen = _select(path, header, spec, others)
    schema = {col: dtype for col, (_, dtype) in chosen.items()}
    try:
        df = _read_csv(path, schema)
    except DataError:
        raise
    except pl.exceptions.PolarsError:
        df = _diagnose(path, chosen)
    df = df.rename({col: name for col, (name, _) in chosen.items() if col != name})
    return _apply_na_codes(df, spec)


def _apply_na_codes(df: pl.DataFrame, spec: Spec) -> pl.DataFrame:
    codes_by_col = {col: codes for col, codes in spec.na_codes if col in df.columns}
    if spec.rest is not None and spec.rest_na_codes:
        fixed = {name for name, _ in (*spec.columns, *spec.optional)}
        codes_by_col.update({c: spec.rest_na_codes for c in df.columns if c not in fixed})
    exprs = [
        pl.when(pl.col(c).is_in(_typed(codes, df.schema[c])))
        .then(None)
        .otherwise(pl.col(c))
        .alias(c)
        for c, codes in codes_by_col.items()
    ]
    return df.with_columns(exprs) if exprs else df


def _typed(codes: tuple[int, ...], dtype: pl.DataType) -> list[int] | list[float]:
    return [float(c) for c in codes] if dtype.is_float() else list(codes)


def read_table(path: Path, spec: Spec, others: Iterable[Spec] = ()) -> pl.DataFrame:
    """Read and validate one file.

    Parameters
    ----------
    path
        The file (``.csv`` or gzip-compressed ``.csv.gz``).
    spec
        The expected format.
    others
        Known formats, used to name the dataset a wrong file belongs to.

    Returns
    -------
    polars.DataFrame
        Typed columns named as in ``spec``; missing-value codes are nulls. Results are cached
        by path, modification time and size.
    """
    try:
        st = path.stat()
    except OSError as exc:
        raise DataFileNotFound(f"file not found: {path}", field=path.name) from exc
    return _read_cached(
        str(path.resolve()), (st.st_mtime_ns, st.st_size), spec, tuple(others)
    ).clone()


def version_of(df: pl.DataFrame, column: str = "version") -> str | None:
    """The single value of a ``version`` column, as text (``None`` if absent or mixed)."""
    if column not in df.columns:
        return None
    values = df[column].drop_nulls().unique()
    if len(values) != 1:
        return None
    return str(values[0]).strip()


def atomic_write(out: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``out``, then move it into place.

    A failure leaves no partial output: the temporary file is removed and ``out`` untouched.
    """
    target = Path(out).expanduser()
    if not target.parent.is_dir():
        raise DataError(f"output directory does not exist: {target.parent}", field=str(target))
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
