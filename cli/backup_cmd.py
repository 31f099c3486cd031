"""`chainkg backup` and `chainkg restore`: thin mirrors of `tracking.backup.backup` / `restore`
(registered by `add_backup_parsers(sub)`). A damaged or foreign zip: one bilingual line, exit 2.
"""
from __future__ import annotations

import argparse

from cli.common import print_json, say, workspace_errors
from cli.track_cmd import guarded
from loaders.output import output_error
from queries.errors import InputError


def _human(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size / 1e3:.1f} kB"


@guarded
def cmd_backup(args: argparse.Namespace) -> None:
    from tracking.backup import backup
    from tracking.workspace import open_workspace

    with workspace_errors(args.home):
        open_workspace(args.home)
    try:
        made = backup(args.home, args.out)
    except OSError as err:
        raise output_error(err, args.out) from err
    if args.json:
        print_json(made.to_json())
        return
    total = sum(f.size for f in made.files)
    say(f"已备份 {len(made.files)} 个文件（{_human(total)}）/ backed up {len(made.files)} files ({_human(total)})")
    print(made.path)


@guarded
def cmd_restore(args: argparse.Namespace) -> None:
    from tracking.backup import restore

    try:
        done = restore(args.archive, args.home)
    except OSError as err:
        raise InputError(f"恢复失败：{err.strerror or err}", f"restore failed: {err.strerror or err}", code="restore-failed",
                         file=str(err.filename or args.archive), hint_zh="请先停止工作台再恢复",
                         hint_en="stop the workbench first") from err
    if args.json:
        print_json(done.to_json())
        return
    say(f"已从 {args.archive} 恢复 {done.files} 个文件（备份时间 {done.created}） / restored {done.files} files "
        f"(backed up {done.created})")
    if done.moved_aside:
        say(f"原有数据库和数据已移至 {done.moved_aside}（未删除） / the previous database and data were moved to "
            f"{done.moved_aside} (nothing deleted)")
    print(done.home)


def add_backup_parsers(sub: argparse._SubParsersAction) -> None:
    """Add `backup` and `restore` to the `chainkg` sub-commands."""
    text = "备份工作区（跟踪数据库和数据快照）为一个 .zip / back up the workspace (database and data) to a .zip"
    p = sub.add_parser("backup", help=text, description=text)
    p.set_defaults(func=cmd_backup)
    p.add_argument("--out", required=True, help="备份文件 .zip / the backup file")
    p.add_argument("--home", help="工作区文件夹 / workspace folder")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")

    text = ("从备份 .zip 恢复工作区；现有内容先移到带日期的文件夹（请先停止工作台） / restore the workspace from a "
            "backup; the current content is moved to a dated folder first (stop the workbench first)")
    p = sub.add_parser("restore", help=text, description=text)
    p.set_defaults(func=cmd_restore)
    p.add_argument("archive", help="备份文件 .zip / the backup file")
    p.add_argument("--home", help="工作区文件夹 / workspace folder")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
