"""Files for Neo4j's offline importer, ``neo4j-admin database import full``, and the command to run.

The importer writes a new database from CSV files at a rate no transaction can match, into a
stopped server (it replaces the database). The files hold the same graph a push writes (labels,
types, properties and seq from `graph.schema` and `rows`); the key constraints and indexes are
made afterwards, on the running server, by `ensure_schema` (``chainkg neo4j constraints``).

One file per node kind (``nodes_Product.csv``) and per relationship kind
(``relationships_Enterprise-PRODUCES.csv``), each with its own header:

    product_id:ID(Product),name_zh,name_en,aliases:string[],...,seq:long,:LABEL
    :START_ID(Enterprise),:END_ID(Product),capacity:double,...,verified_on,seq:long,:TYPE

The id spaces are the labels, so keys need only be unique within a kind. Quoting follows the
importer's rules (its ``--quote`` option): every value is quoted and an inner quote doubled (a
backslash is an ordinary character); an empty cell is left unquoted, which the importer reads as
"no property" (a quoted "" would be an empty string, as FEEDS.route_id is stored). List elements
are joined with "|", which they cannot contain (the tables split them on it). A value with a line
break needs the importer's ``--multiline-fields=true``; the command carries it only then.

>>> import tempfile
>>> from loaders import load
>>> files = write_import_files(ChainGraph(load()[0]), Path(tempfile.mkdtemp()))
>>> files.arguments()[:2]  # doctest: +ELLIPSIS
['--nodes=.../nodes_Region.csv', '--nodes=.../nodes_Chain.csv']
"""
from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graph.chaingraph import ChainGraph
from graph.neo4j_store.cypher import SEQ, edge_fields, endpoints, ident, node_fields
from graph.neo4j_store.rows import created_edges, to_neo4j
from graph.schema import EDGE_KINDS, NODE_KINDS, EdgeKind, NodeKind
from loaders.tables import BOOL, LIST, LIST_SEPARATOR, NUMBER, TABLES_BY_NAME
from queries.errors import InputError

ARRAY_DELIMITER = "U+007C"  # "|" spelled so that no shell (bash, cmd, PowerShell) needs it quoted
TYPES = {NUMBER: "double", BOOL: "boolean", LIST: "string[]"}  # other kinds: text (no suffix)
COMMAND_FILE = "import-command.txt"
DATABASE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.\-]{2,62}")  # Neo4j's rule for database names
CHUNK_ROWS = 100_000  # rows joined into text at a time (bounds memory on a national dataset)


@dataclass(frozen=True)
class ImportFiles:
    """What `write_import_files` wrote: the files, the rows in them, and whether a value has a line break."""
    folder: Path
    nodes: list[Path]
    relationships: list[Path]
    rows: int
    multiline: bool

    def arguments(self, database: str = "neo4j") -> list[str]:
        """The arguments after ``neo4j-admin database import full``."""
        args = [f"--nodes={p}" for p in self.nodes] + [f"--relationships={p}" for p in self.relationships]
        args += [f"--array-delimiter={ARRAY_DELIMITER}"]
        if self.multiline:
            args.append("--multiline-fields=true")
        return [*args, "--overwrite-destination", database]

    def command(self, database: str = "neo4j", windows: bool = False) -> str:
        """The whole command, run in the Neo4j folder: POSIX shell (one argument a line), or one line
        for Windows cmd / PowerShell (paths in double quotes)."""
        if windows:
            quoted = [a.replace("=", '="', 1) + '"' if a.startswith("--nodes=") or a.startswith("--relationships=")
                      else a for a in self.arguments(database)]
            return "bin\\neo4j-admin.bat database import full " + " ".join(quoted)
        return " \\\n    ".join(["bin/neo4j-admin database import full", *map(shlex.quote, self.arguments(database))])


def distinct(values: pd.Series, cell: Callable[[Any], str], missing: str = "") -> list[str]:
    """Each value's cell, computed once per distinct value (most columns repeat a few values);
    `missing` for NaN and None.

    >>> distinct(pd.Series(["a", None, "a", "b"]), lambda v: v.upper(), "-")
    ['A', '-', 'A', 'B']
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)  # plain objects: fast to walk
    cells = np.array([*map(cell, uniques.tolist()), missing], dtype=object)  # code -1 (missing) takes the last
    return cells[codes].tolist()


def text_cells(values: pd.Series, empty: str = "") -> list[str]:
    """A text column's cells, as `quoted` spells them; an empty or missing value is `empty` ('' for
    no property, '""' for an empty string).

    >>> text_cells(pd.Series(['甲"乙', "", None, "a,b", "a,b"]))
    ['"甲""乙"', '', '', '"a,b"', '"a,b"']
    """
    return distinct(values, lambda v: '"' + v.replace('"', '""') + '"' if isinstance(v, str) and v else empty, empty)


def number_cells(values: pd.Series) -> list[str]:
    """A number column's cells: Python's shortest exact spelling of the float (the importer reads
    it as a double); '' for NaN.

    >>> number_cells(pd.Series([5.0, float("nan"), 0.1, 5.0]))
    ['5.0', '', '0.1', '5.0']
    """
    return distinct(values, lambda v: repr(float(v)))


def quoted(values: list[Any]) -> list[str]:
    """Text cells: quoted, inner quotes doubled; None stays an unquoted empty cell.

    >>> quoted(['甲"乙', "", None, "a,b"])
    ['"甲""乙"', '""', '', '"a,b"']
    """
    return ["" if v is None else '"' + v.replace('"', '""') + '"' for v in values]


def booleans(values: list[Any]) -> list[str]:
    return ["true" if v else "false" for v in values]


def lists(values: list[Any]) -> list[str]:
    """List cells: elements joined with "|" (the `--array-delimiter`), then quoted.

    >>> lists([["BDO", '丁"二醇'], None])
    ['"BDO|丁""二醇"', '']
    """
    return quoted([None if v is None else LIST_SEPARATOR.join(v) for v in values])


CELLS: dict[str, Callable[[list[Any]], list[str]]] = {BOOL: booleans, LIST: lists}  # from property values


def _header(name: str, kind: str) -> str:
    ident(name)  # a schema name, checked like every name that reaches Neo4j
    return f"{name}:{TYPES[kind]}" if kind in TYPES else name


def node_header(kind: NodeKind) -> list[str]:
    """The header of a node kind's file: its key as the ID in the label's id space, typed properties.

    >>> from graph.schema import NODE_KIND
    >>> node_header(NODE_KIND["Region"])
    ['region_id:ID(Region)', 'name_zh', 'kind', 'parent_id', 'province', 'lat:double', 'lon:double', 'source', 'seq:long', ':LABEL']
    """
    table = TABLES_BY_NAME[kind.table]
    names = [_header(p, table.column(p).kind) for p in kind.properties]
    return [f"{kind.key}:ID({kind.label})", *names, f"{SEQ}:long", ":LABEL"]


def edge_header(kind: EdgeKind) -> list[str]:
    """The header of a relationship kind's file: start and end ids in their labels' id spaces.

    >>> from graph.schema import EDGE_KINDS
    >>> edge_header(EDGE_KINDS[1])
    [':START_ID(Chain)', ':END_ID(Product)', 'segment', 'focus:boolean', 'seq:long', ':TYPE']
    """
    src, dst = endpoints(kind)
    table = TABLES_BY_NAME[kind.table]
    names = [_header(p, table.column(p).kind) for p in kind.properties]
    return [f":START_ID({src.label})", f":END_ID({dst.label})", *names, f"{SEQ}:long", ":TYPE"]


def _cells(frame: pd.DataFrame, fields: tuple[str, ...], table_name: str,
           empty_strings: tuple[str, ...] = ()) -> list[list[str]]:
    """Each field's column of `frame` as cell text, by the kind of the table's column of that name
    (text where the table has none: the end keys `_from`, `_to`); `empty_strings` are text fields
    written as '""' where empty (as the push stores them)."""
    table, out = TABLES_BY_NAME[table_name], []
    kinds = {c.id: c.kind for c in table.columns}
    for f in fields:
        values, kind = frame[f], kinds.get(f, "")
        if f == SEQ:
            out.append(list(map(str, values.tolist())))
        elif kind == NUMBER:
            out.append(number_cells(values))
        elif kind in CELLS:  # yes/no and lists: few columns, small tables
            out.append(CELLS[kind](to_neo4j(table.column(f), values.tolist())))
        else:
            out.append(text_cells(values, '""' if f in empty_strings else ""))
    return out


def write_csv(path: Path, header: list[str], cells: list[list[str]], constant: str) -> bool:
    """One import file (UTF-8, no BOM, "\\n" line ends): header, then the rows with `constant` (the
    label or type) last. Returns whether a cell holds a line break."""
    n = len(cells[0])
    multiline = False
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for start in range(0, n, CHUNK_ROWS):
            chunk = [c[start:start + CHUNK_ROWS] for c in cells]
            rows = len(chunk[0])
            text = "\n".join(map(",".join, zip(*chunk, [constant] * rows))) + "\n"
            multiline = multiline or text.count("\n") > rows or "\r" in text
            f.write(text)
    return multiline


def node_path(folder: Path, kind: NodeKind) -> Path:
    return folder / f"nodes_{kind.label}.csv"


def edge_path(folder: Path, kind: EdgeKind) -> Path:
    return folder / f"relationships_{kind.name}.csv"


def import_paths(folder: Path) -> list[Path]:
    """Every file `write_import_files` writes into `folder` (to keep copies of before rewriting)."""
    return [*(node_path(folder, k) for k in NODE_KINDS), *(edge_path(folder, e) for e in EDGE_KINDS),
            folder / COMMAND_FILE]


def write_node_file(cg: ChainGraph, kind: NodeKind, folder: Path) -> tuple[Path, int, bool]:
    """The nodes of a kind: the rows of its table, seq their position (as `rows.node_columns`)."""
    path, frame = node_path(folder, kind), cg.tables[kind.table]
    frame = frame.assign(**{SEQ: range(len(frame))})
    multiline = write_csv(path, node_header(kind), _cells(frame, node_fields(kind), kind.table), kind.label)
    return path, len(frame), multiline


def write_edge_file(cg: ChainGraph, kind: EdgeKind, folder: Path) -> tuple[Path, int, bool]:
    """The relationships of a kind a push leaves (`rows.created_edges`)."""
    path, rows = edge_path(folder, kind), created_edges(cg.tables, kind)
    cells = _cells(rows, edge_fields(kind), kind.table, kind.merge_key)
    return path, len(rows), write_csv(path, edge_header(kind), cells, kind.type)


def check_folder(folder: Path) -> Path:
    """The folder, made if missing; a comma in its path is refused (the importer splits file lists on commas)."""
    folder = folder.expanduser().resolve()
    if "," in str(folder):
        raise InputError(f"文件夹路径中不能有逗号：{folder}", f"the folder path must not contain a comma: {folder}",
                         code="import-folder-comma", file=str(folder),
                         hint_zh="neo4j-admin 用逗号分隔文件名，请换一个文件夹", hint_en="neo4j-admin splits file lists on commas")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"不是文件夹：{folder}", f"not a folder: {folder}", code="import-folder-not-dir", file=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_database(name: str) -> str:
    """A database name as Neo4j allows it (it goes into a command line a user copies).

    >>> check_database("neo4j")
    'neo4j'
    """
    if not DATABASE_NAME.fullmatch(name):
        raise InputError(f"数据库名无效：{name!r}（3–63 个英文字母、数字、点或连字符，以字母开头）",
                         f"invalid database name: {name!r} (3-63 ASCII letters, digits, dots or dashes, "
                         "starting with a letter)", code="import-bad-database", option="--database")
    return name


def write_import_files(cg: ChainGraph, folder: Path, database: str = "neo4j") -> ImportFiles:
    """Write the import files for `cg` into `folder` (other files there are left alone) and
    ``import-command.txt`` with the command; return what was written."""
    check_database(database)
    folder = check_folder(Path(folder))
    node_files = [write_node_file(cg, k, folder) for k in NODE_KINDS]
    edge_files = [write_edge_file(cg, e, folder) for e in EDGE_KINDS]
    written = node_files + edge_files
    files = ImportFiles(folder, [p for p, _, _ in node_files], [p for p, _, _ in edge_files],
                        sum(n for _, n, _ in written), any(m for _, _, m in written))
    (folder / COMMAND_FILE).write_text(command_text(files, database), encoding="utf-8")
    return files


def command_text(files: ImportFiles, database: str = "neo4j") -> str:
    """The steps for a planner or an administrator, Chinese first, both spellings of the command."""
    return "\n".join([
        f"把图谱导入 Neo4j 数据库 {database}（会替换该库中原有的全部数据） / "
        f"import the graph into Neo4j database {database} (replaces everything in it)",
        "1. 停止 Neo4j / stop Neo4j:  bin/neo4j stop   (Windows: bin\\neo4j.bat stop)",
        "2. 在 Neo4j 安装目录中运行 / in the Neo4j folder run:",
        "   Linux、macOS、统信UOS、麒麟:",
        "    " + files.command(database),
        "   Windows (cmd / PowerShell):",
        "    " + files.command(database, windows=True),
        "3. 启动 Neo4j / start Neo4j:  bin/neo4j start   (Windows: bin\\neo4j.bat start)",
        "4. 建立键约束和索引 / create the key constraints and indexes:  chainkg neo4j constraints",
        "文件若复制到另一台服务器，请相应修改路径 / if the files are copied to another server, change the paths.",
        "",
    ])
