"""Keys that name a firm and a (firm, link) row across reloads and workbooks (no Django needed).

>>> row_key("L001", "bdo"), row_key("L001", "bdo", "914403001922038216")
('id:L001|bdo', 'uscc:914403001922038216|bdo')
>>> split_row_key("uscc:914403001922038216|bdo")
('uscc:914403001922038216', 'bdo')
"""
from __future__ import annotations


def firm_key(enterprise_id: str, credit_code: str = "") -> str:
    return f"uscc:{credit_code}" if credit_code else f"id:{enterprise_id}"


def row_key(enterprise_id: str, product_id: str, credit_code: str = "") -> str:
    return f"{firm_key(enterprise_id, credit_code)}|{product_id}"


def split_row_key(key: str) -> tuple[str, str]:
    firm, _, product = key.strip().rpartition("|")
    return firm, product
