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

from tracking.errors import InvalidValue

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


def normalise(code: str | None) -> str:
    """'' for no code; the code upper-cased when valid; InvalidValue (code bad-credit-code) otherwise."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    if len(code) != 18:
        raise InvalidValue(f"统一社会信用代码“{code}”应为 18 位（现为 {len(code)} 位）",
                           f"credit code '{code}' must have 18 characters, not {len(code)}",
                           field="credit_code", value=code, code="bad-credit-code")
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        raise InvalidValue(f"统一社会信用代码“{code}”含不允许的字符“{bad[0]}”（不用 I、O、S、V、Z）",
                           f"credit code '{code}' contains '{bad[0]}' (I, O, S, V, Z are not used)",
                           field="credit_code", value=code, code="bad-credit-code")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidValue(f"统一社会信用代码“{code}”校验位错误（应为 {expected}）",
                           f"credit code '{code}' has a wrong check character (expected {expected})",
                           field="credit_code", value=code, code="bad-credit-code")
    return code
