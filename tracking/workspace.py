r"""The workspace: one folder per user holding the data snapshot, the tracking database, caches, logs.

Where it is, first found wins: the `home` argument (`--home`), the `CHAINKG_HOME` variable, then
the per-user data folder from platformdirs (``%LOCALAPPDATA%\chainkg`` on Windows, also under a
Chinese user name; ``~/.local/share/chainkg`` on Linux).

Layout::

    HOME/tracking.sqlite3      the tracking database (never on a network share)
    HOME/data/0001/ ...        data snapshots; the highest number is current, older ones are kept
    HOME/cache/  HOME/logs/

>>> import tempfile, pathlib
>>> ws = open_workspace(pathlib.Path(tempfile.mkdtemp()) / "工作区")
>>> ws.database.name, ws.current_data() is None
('tracking.sqlite3', True)
"""
from __future__ import annotations

import os
import shutil
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

import platformdirs

from tracking.errors import TrackingError

ENV_HOME = "CHAINKG_HOME"
ENV_ALLOW_NETWORK = "CHAINKG_ALLOW_NETWORK_DB"  # "1": only warn when the database is on a share
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "ncpfs", "9p", "ceph",
                       "glusterfs", "fuse.sshfs", "fuse.glusterfs", "fuse.cephfs", "davfs", "fuse.davfs2"}
DATABASE = "tracking.sqlite3"


class NetworkShareError(TrackingError):
    code = "network-share"


def default_home() -> Path:
    """`CHAINKG_HOME`, else the per-user data folder."""
    env = os.environ.get(ENV_HOME)
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir("chainkg", appauthor=False))


def _mount_of(path: str, mounts_text: str) -> tuple[str, str] | None:
    """The (mount point, filesystem type) of the longest mount point containing `path`."""
    best: tuple[str, str] | None = None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = path == point or path.startswith(point.rstrip("/") + "/") or point == "/"
        if inside and (best is None or len(point) > len(best[0])):
            best = (point, parts[2])
    return best


def network_share(path: str | Path, platform: str | None = None, mounts_text: str | None = None) -> str | None:
    r"""Why `path` is on a network share (a short description), or None.

    Windows: a UNC path (``\\server\share\...``) or a mapped network drive. Linux: the mount that
    holds the path (from /proc/mounts) is nfs, cifs, smb and the like.

    >>> network_share(r"\\fileserver\招商局\chainkg", platform="win32")
    'UNC 路径 / UNC path \\\\fileserver\\招商局'
    >>> network_share("/mnt/share/ws", platform="linux", mounts_text="srv:/x /mnt/share nfs4 rw 0 0")
    'nfs4 挂载 / nfs4 mount at /mnt/share'
    >>> network_share("/home/a/ws", platform="linux", mounts_text="/dev/sda1 / ext4 rw 0 0") is None
    True
    """
    platform = platform or sys.platform
    text = str(path)
    if platform.startswith("win"):
        p = PureWindowsPath(text)
        if p.drive.startswith("\\\\"):
            return f"UNC 路径 / UNC path {p.drive}"
        if p.drive and platform == sys.platform and _windows_remote_drive(p.drive):
            return f"网络驱动器 / network drive {p.drive}"
        return None
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    mount = _mount_of(os.path.abspath(text), mounts_text)
    if mount and mount[1].lower() in NETWORK_FILESYSTEMS:
        return f"{mount[1]} 挂载 / {mount[1]} mount at {mount[0]}"
    return None


def _windows_remote_drive(drive: str) -> bool:  # pragma: no cover - Windows only
    import ctypes

    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE


@dataclass(frozen=True)
class Workspace:
    home: Path

    @property
    def database(self) -> Path:
        return self.home / DATABASE

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    def snapshots(self) -> list[Path]:
        """Every kept data snapshot, oldest first."""
        if not self.data_dir.exists():
            return []
        return sorted(p for p in self.data_dir.iterdir() if p.name.isdigit())

    def current_data(self) -> Path | None:
        """The current snapshot's table source (a folder, .xlsx or .json), or None for the built-in data."""
        snaps = self.snapshots()
        if not snaps:
            return None
        files = [p for p in snaps[-1].iterdir() if p.suffix.lower() in (".xlsx", ".json")]
        return files[0] if len(files) == 1 and not any(snaps[-1].glob("*.csv")) else snaps[-1]

    def replace_data(self, source: str | Path) -> Path:
        """Copy a folder of tables, an .xlsx or a .json in as the new current snapshot; the previous
        snapshots are kept (numbered folders), so a replace can be undone by hand."""
        source = Path(source)
        number = int(self.snapshots()[-1].name) + 1 if self.snapshots() else 1
        target = self.data_dir / f"{number:04d}"
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.mkdir(parents=True)
            shutil.copy2(source, target / source.name)
        return target


def open_workspace(home: str | Path | None = None, allow_network: bool | None = None) -> Workspace:
    """Create (if needed) and return the workspace; refuse a database on a network share.

    SQLite's file locking is unreliable on network file systems, so the database must sit on a local
    disk; `allow_network` (or CHAINKG_ALLOW_NETWORK_DB=1) turns the refusal into a warning.
    """
    ws = Workspace(Path(home).expanduser() if home else default_home())
    share = network_share(ws.home)
    if share:
        allow = allow_network if allow_network is not None else os.environ.get(ENV_ALLOW_NETWORK) == "1"
        zh = f"工作区 {ws.home} 位于网络共享（{share.split(' / ')[0]}）上，SQLite 数据库在网络盘上可能损坏，请改用本机磁盘"
        en = f"workspace {ws.home} is on a network share ({share.split(' / ')[-1]}); SQLite is unsafe there, use a local disk"
        if not allow:
            raise NetworkShareError(zh, en, field="home", value=str(ws.home))
        warnings.warn(f"{zh} / {en}", stacklevel=2)
    for folder in (ws.home, ws.data_dir, ws.cache_dir, ws.log_dir):
        folder.mkdir(parents=True, exist_ok=True)
    return ws
