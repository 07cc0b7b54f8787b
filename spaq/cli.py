"""The `spaq` command: argparse, then the same two calls as the API.

Exit status: 0 success; 2 a query failed (the message is on stderr);
1 the corpus cannot be read at all.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Iterable, TextIO

from . import __version__
from .errors import CorpusError, QueryError

FORMATS = ("table", "csv", "json", "jsonl", "markdown")

EPILOG = """\
examples:
  spaq -e "purchasers where price < 1.00"
  spaq -e "sum proceeds by year" --format csv
  spaq --corpus ~/filings -e "count agreements by year"
  spaq -e "show agreements neotherapeutics-20010308"
  echo "top 2 purchasers by proceeds" | spaq
  spaq -e help          (the query language, with examples)

exit status: 0 ok, 2 a query failed, 1 the corpus could not be read.
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="spaq", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Query securities purchase agreements and the filings that describe them.")
    p.add_argument("-e", "--execute", metavar="QUERY", action="append",
                   help="run QUERY and exit (repeatable)")
    p.add_argument("-f", "--file", metavar="FILE",
                   help="run the queries in FILE, one per line ('-' for standard input)")
    p.add_argument("--corpus", metavar="PATH", action="append",
                   help="a file or directory of filings (repeatable; default: the bundled corpus)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--history", metavar="PATH",
                   help="the prompt's history file (default: $SPAQ_HISTORY, else in the user data directory)")
    p.add_argument("--no-cache", action="store_true",
                   help="read every file afresh; neither read nor write the cache of extracted facts")
    p.add_argument("--version", action="version", version=f"spaq {__version__}")
    commands = p.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    export = commands.add_parser(
        "export", help="write every entity to DIR for DuckDB, Spark or pandas (spaq export -h)",
        description="Write every entity (and each value's source) under DIR, partitioned by year "
                    "(hive style: DIR/agreements/year=2002/part-0.jsonl) so DuckDB or Spark read it as it is.")
    export.add_argument("dir", metavar="DIR", help="directory to write (new, empty, or an earlier export)")
    export.add_argument("--format", dest="export_format", choices=("jsonl", "csv", "parquet"), default="jsonl",
                        help="file format (default: jsonl; parquet needs pyarrow)")
    # Also accepted after `export`; SUPPRESS keeps the values given before it.
    export.add_argument("--corpus", metavar="PATH", action="append", default=argparse.SUPPRESS,
                        help="a file or directory of filings (repeatable; default: the bundled corpus)")
    export.add_argument("--no-cache", action="store_true", default=argparse.SUPPRESS,
                        help="read every file afresh")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return _main(args)
    except CorpusError as e:
        print(f"spaq: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `spaq ... | head` closes the pipe early; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main(args) -> int:
    from . import load
    index = load(*(args.corpus or ()), cache=not args.no_cache)
    _report_reading(index)
    if getattr(args, "command", None) == "export":
        return _export(index, args.dir, args.export_format)
    if args.execute:
        return _run_all(index, args.execute, args.format)
    if args.file:
        if args.file == "-":
            return _run_all(index, _lines(sys.stdin), args.format)
        try:
            with open(args.file, encoding="utf-8") as fh:
                return _run_all(index, _lines(fh), args.format)
        except OSError as e:
            print(f"spaq: cannot read {args.file}: {e.strerror}", file=sys.stderr)
            return 1
    if not sys.stdin.isatty():
        return _run_all(index, _lines(sys.stdin), args.format)
    return _prompt(index, args.format, args.history)


# Past this many, the files skipped or read in part are counted, not listed.
MAX_READING_NOTES = 20


def _report_reading(index) -> None:
    """On stderr: each file not read and why, and each read only in part (a limit)."""
    from .corpus import CUT
    notes = [f"skipped {name}: {why}" for name, why in index.skipped]
    filings = index.tables["filings"]
    for file, warnings in zip(filings.column("file"), filings.column("warnings")):
        notes += [f"{file}: {w[len(CUT):]}" for w in warnings or () if w.startswith(CUT)]
    for note in notes[:MAX_READING_NOTES]:
        print(f"spaq: {note}", file=sys.stderr)
    if len(notes) > MAX_READING_NOTES:
        print(f"spaq: ... and {len(notes) - MAX_READING_NOTES:,} more files skipped or read in part "
              f"(`filings where form = 'unknown'` lists those not read)", file=sys.stderr)


def _export(index, directory: str, fmt: str) -> int:
    from .export import ExportError, export
    try:
        manifest = export(index, directory, fmt)
    except (ExportError, OSError) as e:
        print(f"spaq: export: {e}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{info['rows']:,} {name}" for name, info in manifest["entities"].items())
    print(f"spaq: exported {counts} to {directory} ({fmt})", file=sys.stderr)
    return 0


def _lines(stream: TextIO) -> Iterable[str]:
    for line in stream:
        line = line.strip()
        if line and not line.startswith(("--", "#")):
            yield line


def run_one(target, query: str, fmt: str, out: TextIO | None = None, err: TextIO | None = None) -> bool:
    """Run one line on a Session (follow-ups refine its previous query) or on an
    Index (each line alone); print its result or its error; True when it succeeded.
    Standard output and error as they are when called (not when spaq.cli was imported)."""
    out, err = out or sys.stdout, err or sys.stderr
    from .render import render
    from .session import Session
    try:
        result = target.run(query) if isinstance(target, Session) else target.query(query)
    except QueryError as e:
        print(str(e), file=err)
        return False
    text = render(result, fmt)
    if text:
        print(text, file=out)
    return True


def _run_all(index, queries: Iterable[str], fmt: str) -> int:
    """Every line through one Session, so a line may follow up the one before."""
    from .session import Session
    session = Session(index)
    ok = True
    for q in queries:
        ok = run_one(session, q, fmt) and ok
    return 0 if ok else 2


def _prompt(index, fmt: str, history: str | None = None) -> int:
    """The interactive prompt; prompt_toolkit is imported only on this path."""
    from .repl import run_repl
    return run_repl(index, fmt, history)


if __name__ == "__main__":
    sys.exit(main())
