"""socialproj: typed, validated records of publicly funded social projects.

Read what you have (programme lists, spreadsheets, JSON dumps, project cards, news
items) into :class:`Project` records with exact money, check them with
:func:`validate`, and convert them between formats without losing a cent or a field::

    import socialproj

    for project in socialproj.read("projects.csv"):
        for finding in socialproj.validate(project):
            print(finding)

Everything public is importable from here; the submodules hold the details.
"""

from . import fast
from ._version import __version__
from .amounts import (
    STYLES,
    FoundAmount,
    NumberStyle,
    format_money,
    parse_amount,
    parse_money,
    scan_amounts,
)
from .api import convert, validate
from .canonical import Dumper, from_dict, to_dict
from .codes import (
    code_key,
    find_fund,
    guess_scheme,
    is_cci,
    normalize_fund,
    strip_contract_suffix,
)
from .columnar import ARROW_SCHEMA_VERSION, arrow_schema, from_arrow, record_batches, to_arrow
from .countries import country_code, country_codes, country_in, country_name, is_country_code
from .currencies import currency_codes, currency_from_word, is_currency, minor_units
from .dates import PartialDate, RelativeDateError, parse_date
from .errors import (
    AmbiguousAmount,
    CurrencyMismatch,
    FormatError,
    OptionError,
    ParseError,
    PluginError,
    Position,
    RateNotFound,
    ReadError,
    RecordError,
    SocialprojError,
    StructureError,
)
from .findings import Finding, Severity
from .jsonvalues import (
    JSON_DECODER,
    JSONConstantError,
    NotJSON,
    dumps_json,
    json_problem,
    loads_json,
    lone_surrogate,
)
from .linking import Group, Match, link
from .mapping import ColumnError, ColumnMapping, MappedBuilder, Preset, load_mapping
from .merging import merge
from .model import (
    Funding,
    Identifier,
    Location,
    Partner,
    Programme,
    Project,
    Role,
    Share,
    ShareSource,
    Source,
    normalize_rate,
    parse_role,
)
from .money import Money, Qualifier, decimal_text
from .periods import Duration, Period, add_months
from .places import Settlement, Subdivision, settlement, settlements, subdivision
from .plugins import (
    formats,
    plugin_problems,
    rate_providers,
    register,
    registered,
    unregister,
    validators,
)
from .plugins.contexts import ReadContext, TableColumns, WriteContext
from .plugins.descriptors import (
    MAX_LINE,
    MAX_LINE_OPTION,
    Format,
    Option,
    RateProvider,
    Sample,
    Validator,
    parse_bool,
    parse_size,
)
from .plugins.specs import hookimpl
from .rates import FIXED_EURO_RATES, Converted, Rate, RateKind, fixed_rate
from .readwrite import (
    BatchStream,
    ProjectStream,
    Written,
    choose_format,
    columns,
    read,
    read_batches,
    write,
    write_batches,
)
from .schema import SCHEMA_VERSION, schema
from .texts import FrozenDict, Texts

__all__ = [
    "ARROW_SCHEMA_VERSION",
    "FIXED_EURO_RATES",
    "JSON_DECODER",
    "MAX_LINE",
    "MAX_LINE_OPTION",
    "SCHEMA_VERSION",
    "STYLES",
    "AmbiguousAmount",
    "BatchStream",
    "ColumnError",
    "ColumnMapping",
    "Converted",
    "CurrencyMismatch",
    "Dumper",
    "Duration",
    "Finding",
    "Format",
    "FormatError",
    "FoundAmount",
    "FrozenDict",
    "Funding",
    "Group",
    "Identifier",
    "JSONConstantError",
    "Location",
    "MappedBuilder",
    "Match",
    "Money",
    "NotJSON",
    "NumberStyle",
    "Option",
    "OptionError",
    "ParseError",
    "PartialDate",
    "Partner",
    "Period",
    "PluginError",
    "Position",
    "Preset",
    "Programme",
    "Project",
    "ProjectStream",
    "Qualifier",
    "Rate",
    "RateKind",
    "RateNotFound",
    "RateProvider",
    "ReadContext",
    "ReadError",
    "RecordError",
    "RelativeDateError",
    "Role",
    "Sample",
    "Settlement",
    "Severity",
    "Share",
    "ShareSource",
    "SocialprojError",
    "Source",
    "StructureError",
    "Subdivision",
    "TableColumns",
    "Texts",
    "Validator",
    "WriteContext",
    "Written",
    "__version__",
    "add_months",
    "arrow_schema",
    "choose_format",
    "code_key",
    "columns",
    "convert",
    "country_code",
    "country_codes",
    "country_in",
    "country_name",
    "currency_codes",
    "currency_from_word",
    "decimal_text",
    "dumps_json",
    "fast",
    "find_fund",
    "fixed_rate",
    "format_money",
    "formats",
    "from_arrow",
    "from_dict",
    "guess_scheme",
    "hookimpl",
    "is_cci",
    "is_country_code",
    "is_currency",
    "json_problem",
    "link",
    "load_mapping",
    "loads_json",
    "lone_surrogate",
    "merge",
    "minor_units",
    "normalize_fund",
    "normalize_rate",
    "parse_amount",
    "parse_bool",
    "parse_date",
    "parse_money",
    "parse_role",
    "parse_size",
    "plugin_problems",
    "rate_providers",
    "read",
    "read_batches",
    "record_batches",
    "register",
    "registered",
    "scan_amounts",
    "schema",
    "settlement",
    "settlements",
    "strip_contract_suffix",
    "subdivision",
    "to_arrow",
    "to_dict",
    "unregister",
    "validate",
    "validators",
    "write",
    "write_batches",
]
