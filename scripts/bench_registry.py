"""Registry cost, as a pool process pays it: load time, matcher build time, peak RSS, and the
mean company-tagging time per Zyte benchmark page (warm), each in a fresh process.

Run: python scripts/bench_registry.py [DATA_DIR]   (DATA_DIR: ../shared/data by default; the
per-page figure needs its scrapinghub-article-extraction-benchmark folder)

Targets (issue 14): registry load <= 2 s, pool process < 350 MB RSS, company tagging <= 1.5 ms
per Zyte page. The machine is shared: the load average is printed beside the figures.
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(data: Path) -> dict[str, float]:
    started = time.perf_counter()
    from pipeline.tagging.registry import default_companies

    companies = default_companies()
    loaded = time.perf_counter()
    from pipeline.tagging.company import CompanyMatcher
    from pipeline.tagging.text import split_sentences

    matcher = CompanyMatcher(companies)
    built = time.perf_counter()
    figures = {
        "companies": float(len(companies)),
        "registry_load_s": loaded - started,
        "matcher_build_s": built - loaded,
    }
    texts = _zyte_texts(data)
    if texts:
        for text in texts:  # warm-up pass, as a long-running worker is
            matcher.find(text, split_sentences(text))
        begin = time.perf_counter()
        for text in texts:
            matcher.find(text, split_sentences(text))
        figures["company_ms_per_page"] = (time.perf_counter() - begin) * 1000 / len(texts)
        figures["pages"] = float(len(texts))
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def _zyte_texts(data: Path) -> list[str]:
    """The benchmark's expected article bodies (the text the tagger gets after extraction)."""
    path = data / "scrapinghub-article-extraction-benchmark" / "ground-truth.json"
    if not path.exists():
        return []
    truth = json.loads(path.read_text(encoding="utf-8"))
    return [str(v.get("articleBody") or "") for v in truth.values() if v.get("articleBody")]


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    if os.environ.get("_BENCH_CHILD"):
        print(json.dumps(measure(data)))
        return
    result = subprocess.run(
        [sys.executable, __file__, str(data)],
        env={**os.environ, "_BENCH_CHILD": "1"},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"companies                {figures['companies']:.0f}")
    for name in ("generated", "notable"):
        generated = ROOT / "pipeline" / "tagging" / "data" / f"companies_{name}.json.gz"
        size = len(gzip.decompress(generated.read_bytes())) / 1e6
        packed = generated.stat().st_size / 1e6
        print(f"{name} file".ljust(25) + f"{packed:.2f} MB ({size:.1f} MB JSON)")
    print(f"registry load            {figures['registry_load_s']:.2f} s (target <= 2 s)")
    print(f"matcher build            {figures['matcher_build_s']:.2f} s")
    if "company_ms_per_page" in figures:
        print(
            f"company tagging          {figures['company_ms_per_page']:.2f} ms per Zyte page "
            f"({figures['pages']:.0f} pages, warm; target <= 1.5 ms)"
        )
    print(f"peak RSS                 {figures['peak_rss_mb']:.0f} MB (target < 350 MB)")
    print(f"load average             {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
