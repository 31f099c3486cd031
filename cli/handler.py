"""The one top-level handler of `chainkg`: no traceback reaches a planner.

- A known problem (`queries.errors.ChainkgError`, usage errors included) prints its one bilingual
  line and exits with its code: 2 bad input or usage, 3 a server unreachable.
- Anything else is a bug: a short bilingual apology naming the log file that holds the full
  traceback (`log_folder()`, a per-user folder; the temp folder when that cannot be made), exit 1.
- Ctrl+C: one line, exit 130. A closed pipe (`chainkg gaps | head -1`): quiet, exit 0 (the reader
  had what it wanted).
- `--debug` (any command) or CHAINKG_DEBUG=1 also prints the traceback.
"""
from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from queries.errors import EXIT_UNEXPECTED, ChainkgError

EXIT_INTERRUPTED = 130
KEEP_LOGS = 20  # the newest error logs kept in the log folder
SECRET_FLAGS = ("--neo4j-password",)


def say(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr, flush=True)


def log_folder() -> Path:
    """Where error logs go: `platformdirs.user_log_dir("chainkg")`, e.g.
    C:\\Users\\张三\\AppData\\Local\\chainkg\\Logs, ~/.local/state/chainkg/log, ~/Library/Logs/chainkg."""
    from platformdirs import user_log_dir

    return Path(user_log_dir("chainkg", appauthor=False))


def redacted(argv: Sequence[str]) -> list[str]:
    """The command line with passwords blanked, for the log.

    >>> redacted(["neo4j", "push", "--neo4j-password", "s3cret", "--neo4j-password=x"])
    ['neo4j', 'push', '--neo4j-password', '***', '--neo4j-password=***']
    """
    out, hide = [], False
    for arg in argv:
        flag = arg.split("=", 1)[0]
        if hide:
            out.append("***")
        elif flag in SECRET_FLAGS and "=" in arg:
            out.append(f"{flag}=***")
        else:
            out.append(arg)
        hide = not hide and arg in SECRET_FLAGS
    return out


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chainkg")
    except PackageNotFoundError:
        return "?"


def write_log(text: str, argv: Sequence[str]) -> Path | None:
    """Write a traceback with what ran it to a new file in the log folder (else the temp folder);
    its path, or None when neither can be written."""
    now = dt.datetime.now()
    body = (f"chainkg {_version()} · Python {platform.python_version()} · {platform.platform()}\n"
            f"{now.isoformat(timespec='seconds')}\n"
            f"chainkg {' '.join(redacted(argv))}\n\n{text}")
    candidates: list[Callable[[], Path]] = [log_folder, lambda: Path(tempfile.gettempdir()) / "chainkg-logs"]
    for where in candidates:
        try:
            folder = where()
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"chainkg-error-{now:%Y%m%d-%H%M%S}-{os.getpid()}.log"
            path.write_text(body, encoding="utf-8")
        except Exception:  # noqa: BLE001 - any folder that fails: try the next one
            continue
        for old in sorted(folder.glob("chainkg-error-*.log"))[:-KEEP_LOGS]:
            old.unlink(missing_ok=True)
        return path
    return None


def _unexpected(argv: Sequence[str], debug: bool) -> int:
    text = traceback.format_exc()
    error = sys.exc_info()[1]
    brief = f"{type(error).__name__}: {error}"[:300]
    path = write_log(text, argv)
    if debug or path is None:
        sys.stderr.write(text)
    if path is None:
        say(f"抱歉，chainkg 出现意外错误（{brief}），且无法写入日志文件；请把上面的内容发给维护人员。"
            f" / sorry, chainkg hit an unexpected error ({brief}) and could not write a log file; "
            "please send the text above to whoever maintains chainkg.")
    else:
        say(f"抱歉，chainkg 出现意外错误（{brief}）。详细信息已写入 {path} ，请把该文件发给维护人员。"
            f" / sorry, chainkg hit an unexpected error ({brief}). The details are in {path} ; "
            "please send that file to whoever maintains chainkg.")
    return EXIT_UNEXPECTED


def _stdout_gone() -> None:
    """After a broken pipe: point stdout at devnull so the exit flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (tests): nothing to do
        pass


def run(build: Callable[[], object], argv: Sequence[str] | None = None) -> None:
    """Parse `argv` with the parser `build()` returns and run the chosen command's `func`.

    Returns normally on success; otherwise exits with the status described above."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = os.environ.get("CHAINKG_DEBUG", "").strip() not in ("", "0")
    try:
        sys.stderr.reconfigure(errors="backslashreplace")  # a console that cannot show 中文 still shows the line
    except (AttributeError, ValueError):
        pass
    status = 0
    try:
        args = build().parse_args(argv)
        debug = debug or getattr(args, "debug", False)
        args.func(args)
        sys.stdout.flush()
    except ChainkgError as e:
        if debug:
            sys.stderr.write(traceback.format_exc())
        say(e.line())
        status = e.exit_code
    except KeyboardInterrupt:
        say("已中断 / interrupted")
        status = EXIT_INTERRUPTED
    except BrokenPipeError:
        _stdout_gone()
    except Exception:  # noqa: BLE001 - the one place a bug is caught, logged and apologised for
        status = _unexpected(argv, debug)
    if status:
        sys.exit(status)
