"""The ``parquet`` format: projects as Parquet, in socialproj's Arrow schema, lossless.

Written to a folder, the projects become a dataset of Parquet files, partitioned by the
``partition_by`` option into ``country=BG/year=2016/`` subfolders (Hive style, which
DuckDB, Polars, Spark and pyarrow read as columns).

Every file has the same columns, whatever its records hold (:func:`socialproj.arrow_schema`),
so that files written by different runs combine into one dataset, and DuckDB, Polars,
pandas or Spark read them with no glue: amounts are exact decimals they sum without a
cast, dates are dates. Writing and reading are streamed a row group at a time, so memory
holds one group. Needs pyarrow (``pip install "socialproj[arrow]"``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Final

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


#: what a dataset may be partitioned by: each key's Arrow type, and its value in a project
PARTITIONS: Final[dict[str, tuple[str, Callable[[Project], Any]]]] = {
    "country": ("string", lambda p: getattr(_lead(p), "country", None)),
    "year": ("int32", lambda p: p.period.start.year if p.period and p.period.start else None),
    "programme": ("string", lambda p: p.programme.cci if p.programme else None),
    "fund": (
        "string",
        lambda p: next((s.fund for s in p.funding.shares if s.fund), None) if p.funding else None,
    ),
}


def _lead(project: Project) -> Any:
    """The lead partner (else the first partner), whose country is the project's."""
    partners = project.partners
    return next((p for p in partners if p.role.value == "lead"), partners[0] if partners else None)


def _partition_by(value: object) -> tuple[str, ...]:
    names = tuple(name.strip() for name in str(value).split(",") if name.strip())
    unknown = [name for name in names if name not in PARTITIONS]
    if unknown or len(set(names)) != len(names):
        raise ValueError(
            f"partition_by names {', '.join(PARTITIONS)} (each once), comma separated, "
            f"not {value!r}"
        )
    return names


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
    Option(
        "partition_by",
        "writing to a folder: subfolders per value of these, comma separated: "
        + ", ".join(PARTITIONS)
        + " (the lead partner's country, the start year, the programme's CCI, the EU fund)",
        _partition_by,
        (),
        applies="write",
    ),
)


def write_parquet(projects: Iterable[Project], stream: IO[bytes], context: WriteContext) -> None:
    """Write the projects a row group at a time; one the schema cannot hold is refused."""

    def refused(number: int, project: Project, error: ValueError) -> None:
        context.record = number
        context.problem(str(error), expected="amounts of at most 10 decimals")

    size = context.options["row_group"]
    write_parquet_batches(
        record_batches(projects, batch_size=size, refused=refused), stream, context
    )


def write_parquet_batches(batches: Iterable[Any], stream: IO[bytes], context: WriteContext) -> None:
    """Write record batches of the Arrow schema, each in row groups of ``row_group`` at most.

    A batch is written as it comes (memory holds one), so the row groups follow the
    batches: :func:`socialproj.read_batches` gives batches of ``row_group`` rows but
    around rows built one by one. Batches are not joined into one row group: Arrow
    cannot always join the dictionaries of batches built in different ways.
    """
    pq = _pyarrow_parquet()
    compression = context.options["compression"]
    size = context.options["row_group"]
    writer = pq.ParquetWriter(
        stream, arrow_schema(), compression=None if compression == "none" else compression
    )
    try:
        for batch in batches:
            if batch.num_rows:
                writer.write_batch(batch, row_group_size=size)
    finally:
        writer.close()


def write_parquet_folder(projects: Iterable[Project], folder: Path, context: WriteContext) -> None:
    """Write the projects as a dataset in ``folder``: one file, or one per partition.

    The partition values are not stored in the files (their folders hold them), so every
    file is in socialproj's schema and reads back alone; ``__HIVE_DEFAULT_PARTITION__``
    holds the projects that state no value.
    """
    _pyarrow_parquet()
    import pyarrow as pa
    import pyarrow.dataset as ds

    options = context.options
    keys: tuple[str, ...] = options["partition_by"]
    size = options["row_group"]
    compression = options["compression"]
    key_types = {key: getattr(pa, PARTITIONS[key][0])() for key in keys}
    schema = arrow_schema()
    for key in keys:
        schema = schema.append(pa.field(key, key_types[key]))

    def batches() -> Iterator[Any]:
        iterator = iter(projects)
        offset = 0
        while chunk := list(itertools.islice(iterator, size)):
            dropped: set[int] = set()

            def refused(
                number: int,
                project: Project,
                error: ValueError,
                dropped: set[int] = dropped,
                offset: int = offset,
            ) -> None:
                dropped.add(number)
                context.record = offset + number
                context.problem(str(error), expected="amounts of at most 10 decimals")

            for batch in record_batches(chunk, batch_size=len(chunk), refused=refused):
                kept = [p for number, p in enumerate(chunk, 1) if number not in dropped]
                extra = [pa.array([PARTITIONS[k][1](p) for p in kept], key_types[k]) for k in keys]
                yield pa.RecordBatch.from_arrays([*batch.columns, *extra], schema=schema)
            offset += len(chunk)

    formats = ds.ParquetFileFormat()
    ds.write_dataset(
        batches(),
        folder,
        schema=schema,
        format=formats,
        file_options=formats.make_write_options(
            compression=None if compression == "none" else compression
        ),
        partitioning=ds.partitioning(pa.schema([schema.field(k) for k in keys]), flavor="hive")
        if keys
        else None,
        basename_template="part-{i}.parquet",
        max_rows_per_group=size,
        min_rows_per_group=min(size, 1024),
        existing_data_behavior="overwrite_or_ignore",
    )


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
        folder_writer=write_parquet_folder,
        batch_writer=write_parquet_batches,
        extensions=(".parquet", ".pq"),
        sniff=sniff_parquet,
        lossless=True,
        options=OPTIONS,
    )
