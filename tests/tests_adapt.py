"""Today's target_list output with the key names after issue 10 (chain_id, product_id)."""
from __future__ import annotations


def adapt(data: dict) -> dict:
    """Today's target_list output with the key names after issue 10 (chain_id, product_id)."""
    def rename(d):
        d = dict(d)
        if "chain" in d:
            d["chain_id"] = d.pop("chain")
        if "product" in d:
            d["product_id"] = d.pop("product")
        return d
    return {"gaps": [rename(g) for g in data["gaps"]], "targets": [rename(t) for t in data["targets"]],
            "completeness": data["completeness"]}
