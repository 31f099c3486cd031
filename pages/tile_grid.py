"""A schematic of China's 34 province-level divisions as a grid of tiles, with no boundary drawn.

A map of China shown in a government office must follow the national map rules (标准地图: complete
territory, 南海诸岛 included, an approval number 审图号). No package on PyPI ships boundaries that
state they follow those rules, so the target map draws no boundary at all: each province-level
division is one tile placed roughly where it lies (north at the top), the same size whatever its
area. All 34 divisions are tiles, 台湾省, 香港 and 澳门 included; 南海诸岛 belong to the 海南 tile.
The page says it is a schematic (示意图), not a map.

`TILES` maps the two-digit GB/T 2260 province code to (row, column, width in columns).

>>> len(TILES), TILES["15"], (ROWS, COLUMNS)
(34, (1, 2, 4), (8, 8))
"""
from __future__ import annotations

TILES: dict[str, tuple[int, int, int]] = {
    "23": (0, 7, 1),                                                  # 黑龙江
    "65": (1, 0, 1), "15": (1, 2, 4), "22": (1, 7, 1),                # 新疆 内蒙古 吉林
    "63": (2, 1, 1), "62": (2, 2, 1), "64": (2, 3, 1), "14": (2, 4, 1),  # 青海 甘肃 宁夏 山西
    "13": (2, 5, 1), "11": (2, 6, 1), "21": (2, 7, 1),                # 河北 北京 辽宁
    "54": (3, 1, 1), "51": (3, 2, 1), "61": (3, 3, 1), "41": (3, 4, 1),  # 西藏 四川 陕西 河南
    "37": (3, 5, 1), "12": (3, 6, 1),                                 # 山东 天津
    "53": (4, 2, 1), "50": (4, 3, 1), "42": (4, 4, 1), "34": (4, 5, 1),  # 云南 重庆 湖北 安徽
    "32": (4, 6, 1), "31": (4, 7, 1),                                 # 江苏 上海
    "52": (5, 3, 1), "43": (5, 4, 1), "36": (5, 5, 1), "33": (5, 6, 1),  # 贵州 湖南 江西 浙江
    "45": (6, 3, 1), "44": (6, 4, 1), "35": (6, 5, 1), "71": (6, 6, 1),  # 广西 广东 福建 台湾
    "46": (7, 3, 1), "82": (7, 4, 1), "81": (7, 5, 1),                # 海南 澳门 香港
}
ROWS = 1 + max(r for r, _, _ in TILES.values())
COLUMNS = max(c + w for _, c, w in TILES.values())

NOTE_ZH = ("示意图：每个省级行政区一格，按大致方位排列（上北下南），格子大小不表示面积，不绘制任何边界线；"
           "34 个省级行政区均已列出，南海诸岛属海南省。本图不是地图，不作为国界、行政区域界线的依据。")
NOTE_EN = ("Schematic: one tile per province-level division, placed roughly by direction (north up); tile size "
           "is not area and no boundary line is drawn. All 34 province-level divisions are shown; the South "
           "China Sea islands belong to Hainan. This is not a map and shows no national or administrative boundary.")

