"""The credit code as tracking checks it: normalised, or refused with code bad-credit-code.

The check-digit algorithm (GB 32100) is `loaders.credit_code`, shared with the loaders.

>>> normalise(" 914403001922038216 ")
'914403001922038216'
"""
from __future__ import annotations

from loaders.credit_code import ALPHABET, check_character, is_valid
from tracking.errors import InvalidValue

__all__ = ["ALPHABET", "check_character", "is_valid", "normalise"]


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
