"""An upload the loader refuses as a whole is the loader's own bilingual line with its code, not a
server error (the workbench shows it on the upload page)."""
from __future__ import annotations

import pytest

from tracking.workspace import open_workspace
from workbench.data import UploadError, receive


@pytest.mark.parametrize("name, content, code", [
    ("企业.csv", b"\x00\x01\x02\x03binary\x00" * 50, "not-text"),
    ("enterprises.csv", "\n".join(["this is not,a table"] * 5).encode(), "header-not-found"),
    ("data.xlsx", b"enterprise_id,name\nE1,x\n", "workbook-kind"),
    ("data.json", b'{"enterprises": [', "json-syntax"),
])
def test_a_refused_upload_says_why_with_its_code(tmp_path, name, content, code) -> None:
    ws = open_workspace(tmp_path / "工作区")
    with pytest.raises(UploadError) as err:
        receive(ws, name, [content])
    text = str(err.value)
    assert f"错误 [{code}]" in text and f"error [{code}]" in text


def test_an_old_excel_file_is_accepted_for_upload(tmp_path) -> None:
    """.xls and .ods are read like .xlsx, so the upload form takes them (here: an .xls that is
    really text: refused by content, not by its name)."""
    ws = open_workspace(tmp_path / "工作区")
    with pytest.raises(UploadError) as err:
        receive(ws, "旧表.xls", [b"not a workbook"])
    assert "只接受" not in str(err.value) and "[workbook-kind]" in str(err.value)
