"""统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters, the last a check digit.

Characters come from the 31-symbol alphabet 0-9 and A-Y without I, O, S, V, Z. Position i
(1..17) weighs 3**(i-1) mod 31; the check character is the one worth (31 - Σ value×weight mod 31)
mod 31.

>>> is_valid("914403001922038216")
True
>>> check_character("91110000100000000")
'R'
"""
from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (upper case, from ALPHABET)."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    code = code.strip().upper()
    return (len(code) == 18 and all(c in ALPHABET for c in code)
            and check_character(code[:17]) == code[17])
