"""Export an index as files that DuckDB, Spark, pandas or Polars read as they are.

    spaq export --format jsonl|csv|parquet DIR

    DIR/_spaq_export.json                       what was written, and by which spaq
    DIR/agreements/year=2001/part-0.jsonl       hive-style partitions by year
    DIR/agreements/year=__HIVE_DEFAULT_PARTITION__/part-0.jsonl    rows without a year
    DIR/purchasers/year=.../part-0.jsonl
    DIR/filings/year=.../part-0.jsonl
    DIR/companies/part-0.jsonl
    DIR/sources/entity=agreements/part-0.jsonl  one row per value: where it was read

The partition column (`year`) is in the directory names, not in the files,
as Hive, Spark and DuckDB (`hive_partitioning = true`) expect; the null
partition has Hive's name for it. Columns come in the schema's order with the
schema's types: dates as ISO dates, lists as JSON arrays (in CSV, the array's
JSON text), booleans as true/false. `sources` keeps provenance beside the
rows, as the index does: entity, id, field, file, line, text, and for a
derived value its note and the places it was derived from.

    SELECT year, sum(proceeds) FROM read_json_auto('DIR/purchasers/*/*.jsonl', hive_partitioning = true)
    GROUP BY year ORDER BY year;

Parquet needs pyarrow (`pip install 'spaq[parquet]'`).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from . import __version__
from .errors import SpaqError
from .schema import BOOLEAN, DATE, ENTITIES, INTEGER, LIST, NUMERIC, TEXT

FORMATS = ("jsonl", "csv", "parquet")
PARTITION = "year"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
MARKER = "_spaq_export.json"


class ExportError(SpaqError):
    """The export could not be written (the message says why)."""


def export(index, directory: str | Path, fmt: str = "jsonl") -> dict[str, Any]:
    """Write every entity of `index` (and the values' sources) under `directory`.

    The directory must be new, empty, or an earlier export (which is
    replaced); the export is made beside it and moved into place, so a failed
    export leaves the earlier one as it was. Returns what `_spaq_export.json` says.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format '{fmt}' (choose {', '.join(FORMATS)})")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ExportError("--format parquet needs pyarrow: pip install 'spaq[parquet]'") from None
    target = Path(directory).expanduser()
    _check_target(index, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        manifest: dict[str, Any] = {"spaq": __version__, "format": fmt, "partitioned_by": PARTITION,
                                    "entities": {}}
        for name, entity in ENTITIES.items():
            table = index.tables[name]
            fields = [(f.name, f.type) for f in entity.fields]
            files = _write_entity(work / name, table.rows, fields, fmt,
                                  partition=PARTITION if any(n == PARTITION for n, _ in fields) else None)
            manifest["entities"][name] = {"rows": len(table.rows), "files": files}
        sources = _source_rows(index)
        files = _write_entity(work / "sources", sources, SOURCE_FIELDS, fmt, partition="entity")
        manifest["entities"]["sources"] = {"rows": len(sources), "files": files}
        (work / MARKER).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
            os.replace(work, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _check_target(index, target: Path) -> None:
    resolved = target.resolve()
    for root in getattr(index, "paths", ()):
        root = Path(root).resolve()
        if root.is_dir() and (resolved == root or resolved.is_relative_to(root)):
            raise ExportError(f"will not write into the corpus: {target} is inside {root}")
    if target.exists():
        if not target.is_dir():
            raise ExportError(f"{target} exists and is not a directory")
        if any(target.iterdir()) and not (target / MARKER).is_file():
            raise ExportError(f"{target} is not empty and is not an earlier spaq export")


# --- rows as each format writes them ----------------------------------------------------

SOURCE_FIELDS = [("entity", TEXT), ("id", TEXT), ("field", TEXT), ("file", TEXT), ("line", INTEGER),
                 ("text", TEXT), ("derived", BOOLEAN), ("note", TEXT), ("cites", LIST)]


def _source_rows(index) -> list[dict[str, Any]]:
    out = []
    for name, table in index.tables.items():
        key = ENTITIES[name].key
        for row, sources in zip(table.rows, table.sources):
            for field, s in sources.items():
                out.append({"entity": name, "id": row.get(key), "field": field, "file": s.file, "line": s.line,
                            "text": s.text or None, "derived": s.derived, "note": s.note or None,
                            "cites": [c.where() for c in s.cited()] if s.derived else None})
    return out


def _convert(type_: str):
    """A stored value as the export holds it (before format-specific encoding)."""
    if type_ == INTEGER:
        return lambda v: None if v is None else int(v)
    if type_ in NUMERIC:
        return lambda v: None if v is None else float(v)
    if type_ == DATE:
        return lambda v: None if v is None else (v.date() if isinstance(v, dt.datetime) else v)
    if type_ == LIST:
        return lambda v: None if v is None else [str(x) for x in v]
    if type_ == BOOLEAN:
        return lambda v: None if v is None else bool(v)
    return lambda v: None if v is None else str(v)


def _write_entity(directory: Path, rows: list[dict], fields: list[tuple[str, str]], fmt: str,
                  partition: str | None) -> list[str]:
    """The rows in one file per partition (or one file); returns the files' paths relative to the export."""
    columns = [(n, t, _convert(t)) for n, t in fields if n != partition]
    groups: dict[Any, list[dict]] = {}
    for row in rows:
        groups.setdefault(row.get(partition) if partition else None, []).append(row)
    if not groups:
        groups[None] = []                  # an empty entity is still there, with its columns
    written = []
    for value in sorted(groups, key=lambda v: (v is None, str(v))):
        where = directory / f"{partition}={NULL_PARTITION if value is None else value}" if partition else directory
        where.mkdir(parents=True, exist_ok=True)
        path = where / f"part-0.{fmt}"
        _WRITERS[fmt](path, groups[value], columns)
        written.append(path.relative_to(directory.parent).as_posix())
    return written


def _write_jsonl(path: Path, rows, columns) -> None:
    def plain(v):
        return v.isoformat() if isinstance(v, dt.date) else v
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for row in rows:
            record = {n: plain(conv(row.get(n))) for n, _, conv in columns}
            out.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")


def _write_csv(path: Path, rows, columns) -> None:
    def cell(v, type_):
        if v is None:
            return ""
        if type_ == LIST:
            return json.dumps(v, ensure_ascii=False)
        if type_ == BOOLEAN:
            return "true" if v else "false"
        if isinstance(v, dt.date):
            return v.isoformat()
        return repr(v) if isinstance(v, float) else v
    with open(path, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow([n for n, _, _ in columns])
        for row in rows:
            w.writerow([cell(conv(row.get(n)), t) for n, t, conv in columns])


def _write_parquet(path: Path, rows, columns) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    types = {TEXT: pa.string(), INTEGER: pa.int64(), DATE: pa.date32(), BOOLEAN: pa.bool_(),
             LIST: pa.list_(pa.string())}
    schema = pa.schema([(n, types.get(t, pa.float64())) for n, t, _ in columns])
    data = {n: [conv(row.get(n)) for row in rows] for n, _, conv in columns}
    pq.write_table(pa.table(data, schema=schema), path)


_WRITERS = {"jsonl": _write_jsonl, "csv": _write_csv, "parquet": _write_parquet}
