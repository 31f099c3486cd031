"""What the generator is asked for (`Spec`) and the constants every table builder shares."""
from __future__ import annotations

from dataclasses import dataclass

HOME = "wuhai"
SOURCE = "合成数据 / synthetic"


@dataclass(frozen=True)
class Spec:
    """What to generate; `loaders.generate.generate` fills the defaults."""

    firms: int
    products: int
    chains: int
    seed: int
    local: int
    neighbours: int
    projects: int
    flows: float = 1.0  # share of products that take part in FEEDS (national-shaped data: most do not)

    @property
    def width(self) -> int:
        """Digits in a firm number: 合成企业000123.

        >>> Spec(2_000_000, 3000, 8, 0, 300, 600, 40).width
        7
        """
        return max(6, len(str(self.firms)))


def default_products(firms: int) -> int:
    """Products for a firm count when none is given: 3*sqrt(firms), between 40 and 3000.

    >>> default_products(10_000), default_products(1_000_000), default_products(10)
    (300, 3000, 40)
    """
    return int(min(3000, max(40, round(3 * firms ** 0.5))))
