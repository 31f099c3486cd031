"""Write the site of one dataset with whatever checkout is first on PYTHONPATH; print one JSON line.

Run as a script by `bench.site_weight` (`python bench/page_child.py DATA`), so the same file measures this
checkout and an older one: it uses only `loaders.load`, `ChainGraph`, `queries.analysis.analyse` and
`pages.site.write_site`. Weights: every file of the site, each chain page with the data script of
its own (`lib/data/<page stem>.js`, when there is one), the index with its lists
(`lib/data/index.js`, which the target map reads too), the files every page shares, and the
site by part (chain pages, their data, the lists, the index page, the target map with its places,
the local map, the shared library).
"""
from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")


def weights(site: Path) -> dict:
    files = {str(p.relative_to(site)): p.stat().st_size for p in site.rglob("*") if p.is_file()}
    pages = {}
    for name, size in files.items():
        if name.startswith("chain_") and name.endswith(".html"):
            pages[name] = size + files.get(f"lib/data/{name[:-5]}.js", 0)
    index_data = "lib/data/index.js"  # the site's gap and target lists (pages.lists), the index's and the target map's
    places = "lib/data/target_map.js"  # the target firms' places (pages.target_map), when the checkout writes them
    chain_data = {f"lib/data/{n[:-5]}.js" for n in pages}
    own = chain_data | {index_data, places}
    shared = sum(s for n, s in files.items() if n.startswith("lib/") and n not in own)
    return {"site_bytes": sum(files.values()), "index_bytes": files.get("index.html", 0) + files.get(index_data, 0),
            "largest_chain_page": max(pages.values(), default=0), "median_chain_page": sorted(pages.values())[len(pages) // 2] if pages else 0,
            "chain_pages": len(pages), "shared_bytes": shared, "chain_page_sizes": sorted(pages.values()),
            "parts": {"chain pages": sum(files[n] for n in pages), "chain data": sum(files.get(n, 0) for n in chain_data),
                      "lists": files.get(index_data, 0), "index page": files.get("index.html", 0),
                      "target map": files.get("target_map.html", 0) + files.get(places, 0),
                      "local map": files.get("local_map.html", 0), "shared lib": shared}}


def main(data: str) -> None:
    from graph import ChainGraph
    from loaders import load
    from pages.site import write_site
    from queries.analysis import analyse

    start = time.perf_counter()
    tables, _ = load(data or None)
    cg = ChainGraph(tables)
    analysis = analyse(cg)
    prepared = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="chainkg-pages-") as out:
        start, cpu = time.perf_counter(), time.process_time()
        write_site(analysis, out)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        record = {"load_analyse_s": round(prepared, 2), "site_s": round(seconds, 2), "site_cpu_s": round(cpu, 2),
                  "products": len(tables["chain_products"]), "gaps": len(analysis.gaps),
                  "targets": len(analysis.targets), **weights(Path(out)),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
