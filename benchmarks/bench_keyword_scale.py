"""Keyword matching as keyword lists grow: scan time per text, and building rules.

Run: .venv/bin/python benchmarks/bench_keyword_scale.py [--quick]

- ``scan``: one keyword group of N random Chinese keywords (2-4 characters from the 3,000
  commonest CJK code points) against 1,000,000 random characters of the same alphabet, one
  ``KeywordIndex.found`` call (seed 2). Linear matching means the time stops growing with N
  once nearly every character starts some keyword.
- ``build``: ``KeywordRule`` with one keyword of L characters (issue #12: one
  1,000,000-character keyword took 61 s). Keywords over the stated limit
  (``MAX_KEYWORD_LENGTH``) are refused: the row says so and how long the refusal took.

Figures are single runs (wall time); run on a quiet machine to compare.
"""

from __future__ import annotations

import argparse
import random
import time

from slakit._errors import SlakitError
from slakit.text._keyword_index import KeywordIndex
from slakit.text._normalise import KeywordNeedle, NormalisedText
from slakit.triage import KeywordRule

ALPHABET = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def scan(keywords: int, size: int) -> tuple[float, float]:
    rnd = random.Random(2)
    words = sorted({"".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(2, 4)))
                    for _ in range(keywords)})
    start = time.perf_counter()
    needles = tuple(n for n in (KeywordNeedle.compile(w) for w in words) if n is not None)
    index = KeywordIndex((needles,))
    built = time.perf_counter() - start
    text = NormalisedText.of("".join(rnd.choice(ALPHABET) for _ in range(size)))
    start = time.perf_counter()
    index.found(text)
    return built, time.perf_counter() - start


def build(length: int) -> tuple[str, float]:
    keyword = "".join(random.Random(1).choice("退款订单支付物流") for _ in range(length))
    start = time.perf_counter()
    try:
        KeywordRule("long", (keyword,), raise_by=1)
        outcome = "built"
    except SlakitError as error:
        outcome = f"refused ({type(error).__name__})"
    return outcome, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke test")
    args = parser.parse_args()
    size = 100_000 if args.quick else 1_000_000
    counts = (100, 1_000) if args.quick else (100, 1_000, 10_000, 30_000)
    print(f"| keywords | build index s | scan {size:,} chars s |")
    print("|---:|---:|---:|")
    for count in counts:
        built, scanned = scan(count, size)
        print(f"| {count:,} | {built:.3f} | {scanned:.3f} |")
    print()
    print("| keyword length | outcome | s |")
    print("|---:|---|---:|")
    for length in (100, 10_000, 40_000) if not args.quick else (100, 10_000):
        outcome, seconds = build(length)
        print(f"| {length:,} | {outcome} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
