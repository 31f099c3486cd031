"""`chainkg cache clear`: empty the load cache (`loaders.cache.LoadCache.clear`)."""
from __future__ import annotations

import argparse

from cli.common import cache_folder, say
from loaders.cache import LoadCache


def cmd_cache_clear(args: argparse.Namespace) -> None:
    folder = cache_folder()
    n = LoadCache(folder).clear()
    say(f"已删除 {n} 个载入缓存（{folder}） / deleted {n} load-cache entries ({folder})")


def add_cache_parser(sub: argparse._SubParsersAction) -> None:
    """The `cache` command and its `clear` sub-command."""
    help_text = "载入缓存：第二条命令不必重新读取、校验未改动的数据 / the load cache of validated tables"
    p = sub.add_parser("cache", help=help_text, description=help_text)
    actions = p.add_subparsers(dest="action", required=True)
    clear = actions.add_parser("clear", help="清空载入缓存 / delete every cached load",
                               description="清空载入缓存 / delete every cached load")
    clear.set_defaults(func=cmd_cache_clear)
