"""The workspace folder, network-share refusal, snapshots; the credit-code check digit."""
from __future__ import annotations

import pytest

from tracking import credit_code
from tracking.errors import InvalidValue
from tracking.workspace import NetworkShareError, Workspace, default_home, network_share, open_workspace

MOUNTS = """sysfs /sys sysfs rw 0 0
/dev/sda1 / ext4 rw,relatime 0 0
fs01:/export/bureau /srv/bureau nfs4 rw 0 0
//fs02/招商 /mnt/win\\040share cifs rw 0 0
/dev/sdb1 /srv/bureau/local ext4 rw 0 0
"""


def test_home_from_env_then_platformdirs(monkeypatch, tmp_path):
    monkeypatch.setenv("CHAINKG_HOME", str(tmp_path / "张三的工作区"))
    assert default_home() == tmp_path / "张三的工作区"
    monkeypatch.delenv("CHAINKG_HOME")
    assert default_home().name == "chainkg"


def test_open_creates_folders_under_a_chinese_name(tmp_path):
    ws = open_workspace(tmp_path / "用户" / "李四")
    assert ws.data_dir.is_dir() and ws.cache_dir.is_dir() and ws.log_dir.is_dir()
    assert ws.database == tmp_path / "用户" / "李四" / "tracking.sqlite3"


@pytest.mark.parametrize("path, expected", [
    ("/srv/bureau/ws", "nfs4"),             # inside the NFS mount
    ("/srv/bureau/local/ws", None),         # a local disk mounted inside it: the longest mount wins
    ("/mnt/win share/ws", "cifs"),          # \040 in /proc/mounts is a space
    ("/srv/bureauX/ws", None),              # a sibling whose name starts the same is not inside
    ("/home/u/ws", None),
])
def test_linux_network_mounts(path, expected):
    found = network_share(path, platform="linux", mounts_text=MOUNTS)
    assert (found.split()[0] if found else None) == expected


def test_windows_unc_paths():
    assert network_share(r"\\server\share\ws", platform="win32").startswith("UNC")
    assert network_share(r"C:\Users\王五\AppData\Local\chainkg", platform="win32") is None


def test_database_on_a_share_is_refused_unless_allowed(monkeypatch, tmp_path):
    monkeypatch.setattr("tracking.workspace.network_share", lambda path: "nfs 挂载 / nfs mount at /x")
    with pytest.raises(NetworkShareError) as err:
        open_workspace(tmp_path / "ws")
    assert err.value.code == "network-share" and "网络共享" in err.value.zh
    assert not (tmp_path / "ws").exists()
    with pytest.warns(UserWarning, match="network share"):
        open_workspace(tmp_path / "ws", allow_network=True)


def test_replace_keeps_the_previous_snapshot(tmp_path):
    ws = open_workspace(tmp_path / "ws")
    first = tmp_path / "v1.xlsx"
    first.write_bytes(b"one")
    folder = tmp_path / "v2"
    folder.mkdir()
    (folder / "enterprises.csv").write_text("enterprise_id\n", encoding="utf-8")
    ws.replace_data(first)
    assert ws.current_data().read_bytes() == b"one"
    ws.replace_data(folder)
    assert ws.current_data() == ws.data_dir / "0002"
    assert [p.name for p in ws.snapshots()] == ["0001", "0002"]
    assert (ws.data_dir / "0001" / "v1.xlsx").read_bytes() == b"one"
    assert Workspace(ws.home).current_data() == ws.data_dir / "0002"


# Hand-worked vectors (weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28):
# 914403001922038216 (华为技术有限公司, as published): 9+3+36+108+0+78+0+0+20+261+50+26+0+72+80+60+28
#   = 831; 831 mod 31 = 25; 31-25 = 6 -> '6'. Valid.
# 91110000100000000?: 9+3+9+27+20 = 68; 68 mod 31 = 6; 31-6 = 25 -> ALPHABET[25] = 'R'.
# 91150300MA0N00000?: M=21, A=10, N=22: 9+3+9+135+78+21*20+10*29+22*13 = 1230; mod 31 = 21;
#   31-21 = 10 -> 'A'.
@pytest.mark.parametrize("code", ["914403001922038216", "91110000100000000R", "91150300MA0N00000A",
                                  " 91150300ma0n00000a "])
def test_valid_credit_codes(code):
    assert credit_code.is_valid(code)
    assert credit_code.normalise(code) == code.strip().upper()


@pytest.mark.parametrize("code, says", [
    ("914403001922038217", "校验位错误（应为 6）"),
    ("91110000100000000", "应为 18 位"),
    ("9111000010000000OR", "不允许的字符“O”"),
])
def test_bad_credit_codes(code, says):
    assert not credit_code.is_valid(code)
    with pytest.raises(InvalidValue) as err:
        credit_code.normalise(code)
    assert err.value.code == "bad-credit-code" and says in err.value.zh


def test_empty_credit_code_is_allowed():
    assert credit_code.normalise(None) == "" and credit_code.normalise("  ") == ""


def test_loader_checks_the_credit_code(tmp_path):
    """The optional 统一社会信用代码 column of the enterprises table: a wrong check digit clears the cell
    (the firm loads without it), a repeated code rejects the row, each with file, row and column; a
    valid one is kept, upper-cased."""
    import copy

    from conftest import TINY, write_tables
    from loaders import load

    tables = copy.deepcopy(TINY)
    for firm, code in zip(tables["enterprises"], ["", "91110000100000000r", "914403001922038216",
                                                  "914403001922038217", "914403001922038216"]):
        firm["credit_code"] = code
    clean, report = load(write_tables(tmp_path / "t", tables))
    # Issue 12 (part 3): a bad optional cell loses only that cell, so E4's bad check digit no longer
    # rejects the row (it did before); E5 repeating E3's code still does: that is two firms in one.
    found = {(r.row, r.column) for r in report.rejections if r.table == "enterprises"}
    assert found == {(6, "credit_code")}  # E5 repeats E3's code
    [cleared] = report.cleared
    assert (cleared.row, cleared.column, cleared.code) == (5, "credit_code", "bad-credit-code")  # E4's check digit
    assert "GB 32100" in cleared.reason_en
    assert clean["enterprises"].set_index("enterprise_id")["credit_code"].to_dict() == {
        "E1": "", "E2": "91110000100000000R", "E3": "914403001922038216", "E4": ""}
