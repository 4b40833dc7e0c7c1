"""Reading and validating data files.

Every loader goes through :func:`read_table`: it resolves the file (an explicit path, or a
search of a source directory for the standard and the producers' file names), checks the
header against a :class:`Spec`, reads the needed columns with explicit types (plain or
gzip-compressed CSV), and turns documented missing-value codes into nulls. Anything wrong
raises :class:`~secorder.errors.DataError` naming the file and the problem (and the line or
column where there is one): a missing or renamed column, a row with more or fewer fields than
the header (a ragged row, or the last row of a truncated file), a file with a header and no
rows, a value that does not parse as its column's type, an infinite number, corrupt gzip data,
and any other error of the CSV parser.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import os
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from secorder._atomic import atomic_file
from secorder.errors import DataError, InputError

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
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"cannot read the file ({_reason(exc)})", field=path.name) from exc
    if not line.strip():
        raise DataError("the file is empty (no header line)", field=path.name)
    header = [h.strip() for h in next(csv.reader([line]))]
    if len(header) == 1 and ("\t" in line or ";" in line):
        raise DataError("not a comma-separated file (found tabs or semicolons)", field=path.name)
    seen: set[str] = set()
    for h in header:
        if h and h.lower() in seen:
            raise DataError(f"column '{h}' appears twice in the header", field=path.name)
        seen.add(h.lower())
    return header


def _reason(exc: BaseException) -> str:
    if (
        isinstance(exc, gzip.BadGzipFile | EOFError | zlib.error)
        or "end of file" in str(exc).lower()
    ):
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


def _content(path: Path) -> bytes:
    """The file's bytes, decompressed if it is gzip (read once, parsed twice)."""
    try:
        raw = path.read_bytes()
        return gzip.decompress(raw) if raw[:2] == _GZIP_MAGIC else raw
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"cannot read the file ({_reason(exc)})", field=path.name) from exc


def _records(raw: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, int | None]:
    """Split CSV bytes into records, vectorised.

    Commas and newlines inside double quotes do not count (a doubled quote inside a quoted
    field leaves the parity unchanged).

    Returns
    -------
    tuple
        Per record: number of fields, physical line number where it starts (1-based) and
        whether it is blank; and the line of an unclosed quote (None if all are closed).
    """
    a = np.frombuffer(raw, dtype=np.uint8)
    newlines = np.flatnonzero(a == ord("\n"))
    commas = np.flatnonzero(a == ord(","))
    ends = newlines
    unclosed = None
    if raw.count(b'"'):
        is_quote = a == ord('"')
        inside = np.logical_xor.accumulate(is_quote)  # after an odd number of quotes
        ends = newlines[~inside[newlines]]
        commas = commas[~inside[commas]]
        if inside[-1]:
            last_quote = int(np.flatnonzero(is_quote)[-1])
            unclosed = int(np.searchsorted(newlines, last_quote) + 1)
    if len(a) and a[-1] != ord("\n"):
        ends = np.append(ends, len(a))
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    length = ends - starts
    has_cr = length > 0
    has_cr[has_cr] = a[ends[has_cr] - 1] == ord("\r")
    blank = (length - has_cr) == 0
    return (
        _fields(commas, starts, ends, blank),
        np.searchsorted(newlines, starts) + 1,
        blank,
        unclosed,
    )


def _fields(
    commas: np.ndarray, starts: np.ndarray, ends: np.ndarray, blank: np.ndarray
) -> np.ndarray:
    """Fields per record.

    Fast path: if every non-blank record has the header's number of commas, the commas split
    into equal consecutive groups, each inside its own record.
    """
    per = int(np.searchsorted(commas, ends[0]))  # commas in the header
    full = np.flatnonzero(~blank)
    if per and len(commas) == per * len(full):
        groups = commas.reshape(len(full), per)
        if bool((groups[:, 0] > starts[full]).all() and (groups[:, -1] < ends[full]).all()):
            out = np.ones(len(ends), dtype=np.int64)
            out[full] = per + 1
            return out
    return np.bincount(np.searchsorted(ends, commas), minlength=len(ends)) + 1


def check_rows(path: Path, n_fields: int, raw: bytes | None = None) -> list[int]:
    """Check that every row has the header's number of fields and that there is a row.

    Returns
    -------
    list[int]
        Positions (0-based, among the rows after the header) of blank lines, which the CSV
        parser reads as all-null rows and the caller drops.

    Raises
    ------
    DataError
        Naming the first bad line: a ragged row, a truncated last row or an unclosed quoted
        field, or a file with no data rows.
    """
    raw = _content(path) if raw is None else raw
    fields, lines, blank, unclosed = _records(raw)
    if unclosed is not None:
        raise DataError(
            f"line {unclosed}: a quoted field is never closed; the file looks truncated",
            field=path.name,
        )
    fields, lines, blank = fields[1:], lines[1:], blank[1:]
    bad = np.flatnonzero(~blank & (fields != n_fields))
    if len(bad):
        i = int(bad[0])
        last = not bool((~blank[i + 1 :]).any())
        _ragged(path, int(lines[i]), int(fields[i]), n_fields, last)
    if bool(blank.all()):
        raise DataError("the file has a header but no data rows", field=path.name)
    return np.flatnonzero(blank).tolist()


def _ragged(path: Path, line: int, n: int, n_fields: int, last: bool) -> None:
    if last and n < n_fields:
        raise DataError(
            f"line {line} (the last) has {n} of the header's {n_fields} fields; "
            "the file looks truncated",
            field=path.name,
        )
    raise DataError(
        f"line {line} has {n} fields but the header has {n_fields} (a ragged row)",
        field=path.name,
    )


def _polars_error(path: Path, exc: Exception) -> DataError:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return DataError(f"the CSV parser rejected the file: {first}", field=path.name)


def _check_finite(path: Path, df: pl.DataFrame) -> None:
    for col in df.columns:
        if df.schema[col].is_float():
            bad = df[col].is_infinite().arg_true()
            if len(bad):
                i = int(bad[0])
                raise DataError(
                    f"column '{col}', line {i + 2}: {df[col][i]} is not a finite number",
                    field=path.name,
                )


def _diagnose(
    path: Path, chosen: dict[str, tuple[str, type[pl.DataType]]], content: bytes
) -> pl.DataFrame:
    """Slow path: read as text, cast column by column, name the first bad value."""
    try:
        raw = _read_csv(path, {c: pl.String for c in chosen}, content)
    except pl.exceptions.PolarsError as exc:
        raise _polars_error(path, exc) from None
    out = []
    for col, (_, dtype) in chosen.items():
        s = raw[col]
        cast = s.cast(dtype, strict=False)
        if dtype in (pl.Int64, pl.Int32) and cast.null_count() > s.null_count():
            as_float = s.cast(pl.Float64, strict=False)
            whole = as_float.is_null() | (as_float == as_float.round(0))
            if as_float.null_count() == s.null_count() and bool(whole.all()):
                cast = as_float.cast(dtype, strict=False)
        bad = (cast.is_null() & s.is_not_null()).arg_true()
        if len(bad):
            i = int(bad[0])
            raise DataError(
                f"column '{col}', line {i + 2}: cannot read {s[i]!r} as {dtype.__name__}",
                field=path.name,
            )
        out.append(cast)
    return pl.DataFrame(out)


def _read_csv(path: Path, schema: dict[str, type[pl.DataType]], content: bytes) -> pl.DataFrame:
    try:
        return pl.read_csv(
            content,
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
    content = _content(path)
    blank = check_rows(path, len(header), content)
    schema = {col: dtype for col, (_, dtype) in chosen.items()}
    try:
        df = _read_csv(path, schema, content)
    except DataError:
        raise
    except pl.exceptions.PolarsError:
        df = _diagnose(path, chosen, content)
    _check_finite(path, df)
    if blank:
        df = df.with_row_index("_row").filter(~pl.col("_row").is_in(blank)).drop("_row")
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


def check_file_output(out: str | os.PathLike[str], field: str = "out") -> Path:
    """Validate a single-file output before any work: not a folder, in an existing folder.

    Raises
    ------
    InputError
        ``out`` is an existing folder (a file name is needed).
    DataError
        The folder it would be written into does not exist.
    """
    target = Path(out).expanduser()
    if not str(out).strip():
        raise InputError("is empty; name an output file", field=field)
    if target.is_dir():
        raise InputError(
            f"{out} is an existing folder; name a file to write, e.g. {target / 'panel.parquet'}",
            field=field,
        )
    if not target.parent.is_dir():
        raise DataError(f"output directory does not exist: {target.parent}", field=str(target))
    return target


def atomic_write(
    out: str | os.PathLike[str], write: Callable[[Path], object], field: str = "out"
) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``out``, then move it into place.

    The move uses the project's safe output writer (:func:`secorder._atomic.atomic_file`).

    A failure leaves no partial output: the temporary file is removed and ``out`` untouched.
    """
    target = check_file_output(out, field)
    with atomic_file(target, field=field) as tmp:
        write(tmp)
    return target
