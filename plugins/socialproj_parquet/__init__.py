"""The ``parquet`` format: projects as Parquet, in socialproj's Arrow schema, lossless.

Every file has the same columns, whatever its records hold (:func:`socialproj.arrow_schema`),
so that files written by different runs combine into one dataset, and DuckDB, Polars,
pandas or Spark read them with no glue: amounts are exact decimals they sum without a
cast, dates are dates. Writing and reading are streamed a row group at a time, so memory
holds one group. Needs pyarrow (``pip install "socialproj[arrow]"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Any

from socialproj import (
    ARROW_SCHEMA_VERSION,
    Format,
    Option,
    Project,
    ReadContext,
    ReadError,
    Sample,
    WriteContext,
    arrow_schema,
    from_arrow,
    hookimpl,
    record_batches,
)

#: The first (and last) four bytes of every Parquet file.
MAGIC = b"PAR1"
_COMPRESSIONS = ("zstd", "snappy", "gzip", "none")


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ReadError(
            "the parquet format needs pyarrow: pip install 'socialproj[arrow]'"
        ) from None
    return pq


def _rows(value: object) -> int:
    rows = int(str(value))
    if rows < 1:
        raise ValueError("a row group holds at least one row")
    return rows


OPTIONS = (
    Option(
        "row_group",
        "projects per row group: reading holds one group in memory at a time",
        _rows,
        10_000,
        applies="write",
    ),
    Option(
        "compression",
        "compression of the columns: zstd, snappy, gzip or none",
        str,
        "zstd",
        _COMPRESSIONS,
        applies="write",
    ),
)


def write_parquet(projects: Iterable[Project], stream: IO[bytes], context: WriteContext) -> None:
    """Write the projects a row group at a time; one the schema cannot hold is refused."""
    pq = _pyarrow_parquet()
    compression = context.options["compression"]

    def refused(number: int, project: Project, error: ValueError) -> None:
        context.record = number
        context.problem(str(error), expected="amounts of at most 10 decimals")

    writer = pq.ParquetWriter(
        stream,
        arrow_schema(),
        compression=None if compression == "none" else compression,
    )
    try:
        batches = record_batches(projects, batch_size=context.options["row_group"], refused=refused)
        for batch in batches:
            writer.write_batch(batch, row_group_size=context.options["row_group"])
    finally:
        writer.close()


def read_parquet(stream: IO[bytes], context: ReadContext) -> Iterator[Project]:
    """Yield the projects of a Parquet file written in socialproj's schema."""
    pq = _pyarrow_parquet()
    import pyarrow as pa

    if context.head[:4] != MAGIC:
        raise ReadError(
            "is not a Parquet file (it does not start with PAR1)",
            position=context.position(),
            expected="a Parquet file",
        )
    source: Any = stream if stream.seekable() else pa.BufferReader(stream.read())
    try:
        parquet = pq.ParquetFile(source)
    except (pa.ArrowException, OSError) as exc:
        raise ReadError(f"is a damaged Parquet file: {exc}", position=context.position()) from None
    found = parquet.schema_arrow
    version = (found.metadata or {}).get(b"socialproj.arrow_schema_version")
    if version is None or not found.equals(arrow_schema(), check_metadata=False):
        columns = ", ".join(found.names[:12])
        raise ReadError(
            f"is a Parquet file, but not in socialproj's schema (its columns: {columns})",
            position=context.position(),
            expected=f"a file socialproj wrote (schema version {ARROW_SCHEMA_VERSION})",
        )
    row = 0
    try:
        for group in range(parquet.num_row_groups):  # one row group in memory at a time
            for project in from_arrow(parquet.read_row_group(group)):
                row += 1
                context.mark(row=row)
                yield project
    except (pa.ArrowException, OSError) as exc:
        raise ReadError(
            f"is a damaged Parquet file after row {row}: {exc}", position=context.position()
        ) from None


def sniff_parquet(sample: Sample) -> bool:
    """Parquet files start with ``PAR1``."""
    return sample.head[:4] == MAGIC


@hookimpl
def socialproj_formats() -> Iterator[Format]:
    """The parquet format."""
    yield Format(
        name="parquet",
        description="Parquet in socialproj's Arrow schema: for DuckDB, Polars, pandas, Spark",
        reader=read_parquet,
        writer=write_parquet,
        extensions=(".parquet", ".pq"),
        sniff=sniff_parquet,
        lossless=True,
        options=OPTIONS,
    )
