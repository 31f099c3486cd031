"""What a file really is (whatever its name says), and the text in a text file.

`file_kind` looks at the first bytes: a zip (an .xlsx/.xlsm, .ods or .docx inside, or damaged), an
old OLE2 file (.xls, also .doc/.et), a PDF, other binary data (more than 1% NUL or other control
bytes in the first 8 KiB), or text.

`decode` finds the encoding of a text file, in this order:

1. a byte-order mark: UTF-8, UTF-16 LE/BE ("Unicode text" from Excel), UTF-32; UTF-16 without a
   mark is recognised by its NUL bytes (every other byte of ASCII text);
2. valid UTF-8 (the fast path: the bytes are handed to pandas' C parser as they are);
3. UTF-8 with a few bad bytes (`_mostly_utf8`: more bytes of valid CJK characters than bad bytes): the lines holding
   bad bytes are listed (line, byte offset) so the reader rejects those rows and keeps the rest;
4. GB18030 (GBK, GB2312), when the bytes decode and at least `COMMON_SHARE` of the non-ASCII
   characters are common ones: GB2312's hanzi or full-width punctuation. Big5, Shift-JIS and
   Windows-1252 bytes often decode as GB18030 too, but into rare characters (Big5 text read as
   GB18030 has about 20% common ones, real simplified text 98% or more);
5. Big5 (cp950, traditional Chinese), by the same rule with Big5's common characters (level 1 and
   punctuation): read, with a warning;
6. UTF-8 with bad bytes on at most `BAD_LINES_SHARE` of the lines;
7. otherwise an error naming the encodings tried and asking for UTF-8 or GB18030.

EUC-KR hangul falls into GB2312's hanzi area and so reads as GB18030: a Korean file is not told apart.
"""
from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass, field

import numpy as np

from queries.errors import Notice, SourceError

HEAD = 8192  # bytes looked at for magic numbers and NUL bytes
SAMPLE = 1_000_000  # characters the common-character share is measured on
COMMON_SHARE = 0.7
BAD_LINES_SHARE = 0.05

# kind -> (Chinese, English) description, for messages
KINDS = {
    "xlsx": ("Excel 工作簿（.xlsx）", "an Excel workbook (.xlsx)"),
    "xlsm": ("启用宏的 Excel 工作簿（.xlsm）", "a macro-enabled Excel workbook (.xlsm)"),
    "xls": ("旧版 Excel 工作簿（.xls）或其他 Office 97-2003 文件", "an old Excel workbook (.xls) or another Office 97-2003 file"),
    "ods": ("OpenDocument 表格（.ods）", "an OpenDocument spreadsheet (.ods)"),
    "docx": ("Word 文档（.docx）", "a Word document (.docx)"),
    "zip": ("压缩包（zip）", "a zip archive"),
    "zip-damaged": ("已损坏或不完整的压缩文件（可能是下载中断的 .xlsx）", "a damaged or truncated zip file (perhaps a half-downloaded .xlsx)"),
    "pdf": ("PDF 文件", "a PDF file"),
    "binary": ("二进制文件（不是文本）", "a binary file (not text)"),
    "text": ("文本文件（如 CSV）", "a text file (such as CSV)"),
}
WORKBOOKS = ("xlsx", "xlsm", "xls", "ods")
# bytes text never holds (NUL and the C0 controls but tab, newlines and escape): a few are stray, more is binary
CONTROL_BYTES = [b for b in range(32) if b not in (9, 10, 13, 27)]


def file_kind(data: bytes) -> str:
    """'xlsx', 'xlsm', 'ods', 'docx', 'zip', 'zip-damaged', 'xls', 'pdf', 'binary' or 'text'.

    >>> file_kind("企业编号,企业名称\\n".encode("utf-8")), file_kind(b"%PDF-1.7"), file_kind(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1")
    ('text', 'pdf', 'xls')
    """
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if data.startswith(b"%PDF"):
        return "pdf"
    head = data[:HEAD]
    if _bom(head) or _utf16_without_bom(head):
        return "text"
    controls = sum(head.count(b) for b in CONTROL_BYTES)
    return "binary" if controls > max(4, len(head) // 100) else "text"


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return "zip-damaged"
    if "xl/workbook.xml" in names or any(n.endswith("/workbook.xml") for n in names):
        return "xlsm" if any(n.endswith("vbaProject.bin") for n in names) else "xlsx"
    if "mimetype" in names:
        mimetype = zipfile.ZipFile(io.BytesIO(data)).read("mimetype")
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
    if "word/document.xml" in names:
        return "docx"
    return "zip"


def _bom(head: bytes) -> str | None:
    for mark, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                        (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if head.startswith(mark):
            return codec
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a mark: most ASCII characters have a NUL high byte, on one side only."""
    half = len(head) // 2
    if half < 2:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd > 0.3 * half and even < 0.02 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.02 * half:
        return "utf-16-be"
    return None


@dataclass(frozen=True)
class BadLine:
    line: int  # 1-based line of the file
    offset: int  # byte offset of the first bad byte in the file


@dataclass
class Decoded:
    """The encoding found, the text (None when pandas can parse the bytes themselves: clean UTF-8),
    the lines with bytes that are not UTF-8, and warnings."""

    encoding: str
    text: str | None
    bad_lines: list[BadLine] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    unchecked: bool = False  # UTF-8 taken from the first bytes: the parser decodes the rest strictly


def _common(ch: str, encoding: str) -> bool:
    try:
        b = ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    if len(b) != 2:
        return False
    if 0xA1 <= b[0] <= 0xA3:
        return True  # full-width punctuation and symbols
    if encoding == "gb2312":
        return 0xB0 <= b[0] <= 0xF7
    return 0xA4 <= b[0] <= 0xC6  # Big5 level 1: the 5401 frequent hanzi


def common_share(text: str, encoding: str) -> float:
    """Share of the non-ASCII characters (counted with repeats) that are common in `encoding`
    ('gb2312' or 'cp950'): measured on the first `SAMPLE` characters, each distinct one looked up once.

    >>> common_share("企业,乌海市", "gb2312"), common_share("abc", "gb2312")
    (1.0, 1.0)
    """
    codes = np.frombuffer(text[:SAMPLE].encode("utf-32-le"), dtype="<u4")
    cps, counts = np.unique(codes[codes >= 0x80], return_counts=True)
    if not len(cps):
        return 1.0
    good = sum(int(n) for cp, n in zip(cps.tolist(), counts) if _common(chr(cp), encoding))
    return good / int(counts.sum())


def _bad_lines(data: bytes) -> list[BadLine]:
    """Lines holding bytes that are not UTF-8 (a loop over lines: only on this rare path)."""
    found, pos = [], 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as e:
            found.append(BadLine(number, pos + e.start))
        pos += len(line) + 1
    return found


def _mostly_utf8(data: bytes) -> bool:
    """Whether, in the first `SAMPLE` bytes, the bytes of valid UTF-8 CJK characters (3 each) are at
    least as many as the bytes that are not UTF-8: a UTF-8 file with a few bad bytes. GB18030 text
    read as UTF-8 has some valid sequences, but they give Latin, Greek or Hebrew letters, not CJK."""
    sample = data[:SAMPLE]
    if len(data) > SAMPLE:
        sample = sample[:sample.rfind(b"\n") + 1] or sample
    text = sample.decode("utf-8", "ignore")
    bad = len(sample) - len(text.encode("utf-8"))
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    cjk = int(np.count_nonzero((codes >= 0x2E80) & (codes <= 0x9FFF) | (codes >= 0xFF00) & (codes <= 0xFFEF)))
    return 3 * cjk >= bad


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _bad_bytes_notice(file: str, bad: list[BadLine]) -> Notice:
    shown = bad[:10]
    more_zh = f" 等 {len(bad)} 行" if len(bad) > len(shown) else ""
    more_en = f" ({len(bad)} lines in all)" if len(bad) > len(shown) else ""
    zh = "、".join(f"第{b.line}行（字节偏移 {b.offset}）" for b in shown)
    en = ", ".join(f"line {b.line} (byte offset {b.offset})" for b in shown)
    return Notice("bad-bytes", f"{zh}{more_zh}含有不是 UTF-8 编码的字节（可能是从其他编码粘贴的内容），这些行已拒绝，其余行照常读取；"
                               "请将文件另存为 UTF-8 后重新载入",
                  f"{en}{more_en} hold bytes that are not UTF-8 (perhaps pasted from another encoding); those rows "
                  "were rejected, the others read; save the file as UTF-8 and reload", file=file)


def _utf8_start(head: bytes) -> bool:
    """Whether `head` is UTF-8, a character cut at its end aside.

    >>> _utf8_start("乌海".encode()[:-1]), _utf8_start(b"\\xd6\\xd0")
    (True, False)
    """
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return True
    except UnicodeDecodeError:
        return False


def decode(data: bytes, file: str, parser_checks: bool = False) -> Decoded:
    """The encoding of a text file's bytes and, unless pandas can parse the bytes, their text.

    With `parser_checks`, bytes whose first HEAD bytes are UTF-8 are taken as UTF-8 unread
    (`unchecked`): a strict parser finds any bad byte later, and the caller then decodes again
    without it. Checking a large file first would decode it twice.

    >>> d = decode("企业编号\\nL1\\n".encode("utf-8") + b"\\xd6\\xd0\\n", "x.csv")
    >>> d.encoding, d.bad_lines, d.notices[0].code
    ('utf-8', [BadLine(line=3, offset=16)], 'bad-bytes')
    """
    found = _decode(data, file, parser_checks)
    if found.bad_lines:
        found.notices.append(_bad_bytes_notice(file, found.bad_lines))
    return found


def _decode(data: bytes, file: str, parser_checks: bool = False) -> Decoded:
    head = data[:HEAD]
    codec = _bom(head) or _utf16_without_bom(head)
    if codec == "utf-8-sig":
        found = _decode(data[3:], file, parser_checks)  # offsets below count the mark's 3 bytes too
        found.bad_lines = [BadLine(b.line, b.offset + 3) for b in found.bad_lines]
        if found.encoding == "utf-8" and found.text is None:
            found.encoding = "utf-8-sig"  # pandas parses the bytes, mark included
        return found
    if codec:
        text = _strict(data, codec)
        if text is None:
            raise SourceError(f"文件以 {codec.upper()} 编码标记开头，但内容不是有效的 {codec.upper()} 文本（文件可能已损坏）",
                              f"the file starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()} "
                              "text (the file may be damaged)", code="encoding-damaged", file=file,
                              hint_zh="请重新导出为 UTF-8 CSV", hint_en="export it again as UTF-8 CSV")
        return Decoded(codec, text.lstrip("\ufeff"))
    if parser_checks and _utf8_start(head):
        return Decoded("utf-8", None, unchecked=True)
    try:
        data.decode("utf-8")
        return Decoded("utf-8", None)
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        bad = _bad_lines(data)
        return Decoded("utf-8", data.decode("utf-8", "replace"), bad)
    text = _strict(data, "gb18030")
    if text is not None and common_share(text, "gb2312") >= COMMON_SHARE:
        return Decoded("gb18030", text)
    big5 = _strict(data, "cp950")
    if big5 is not None and common_share(big5, "cp950") >= COMMON_SHARE:
        return Decoded("cp950", big5, notices=[Notice(
            "encoding-big5", "文件看来是 Big5（繁体中文）编码，已按 Big5 读取；请核对名称，最好另存为 UTF-8",
            "the file looks like Big5 (traditional Chinese); it was read as Big5: check the names, and "
            "preferably save it as UTF-8", file=file)])
    bad = _bad_lines(data)
    lines = data.count(b"\n") + 1
    if len(bad) <= max(1, BAD_LINES_SHARE * lines):
        return Decoded("utf-8", data.decode("utf-8", "replace"), bad)
    raise SourceError("无法确定文件的编码：已尝试 UTF-8、GB18030（GBK）和 Big5，读出的文字都不像正常的中文",
                      "cannot tell the file's encoding: UTF-8, GB18030 (GBK) and Big5 were tried and none gives "
                      "ordinary Chinese text", code="encoding-unknown", file=file,
                      hint_zh="请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”，或 GB18030/GBK 编码的 CSV",
                      hint_en="save it from Excel or WPS as 'CSV UTF-8 (comma delimited)', or as CSV in GB18030/GBK")
