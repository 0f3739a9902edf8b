"""`newswire bench`'s soak report: the load it held, the samples, the verdicts, in text and JSON."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import build_parser
from pipeline.commands.bench import figures, soak_lines, spread
from pipeline.tools.bench import BenchResult
from pipeline.tools.soak import SoakResult, SoakSample


def soak_result(count: int = 5) -> SoakResult:
    """RSS filling in the first half, then holding; four more descriptors every minute."""
    samples = [SoakSample(60.0 * i, 400.0 + min(i, count // 2), 60 + 4 * i) for i in range(count)]
    return SoakResult(3000, 26.0, 52.0, samples, backlog_at_end=70, drained_s=2.5)


def test_the_soak_lines_state_the_rate_its_capacity_and_both_verdicts() -> None:
    text = "\n".join(soak_lines(soak_result()))
    assert "at 26.0 articles/s = 50% of the 52.0 articles/s this run measured" in text
    rss, fds = text.splitlines()[-3:-1]
    assert rss.startswith("  RSS growth over the second half, MB") and rss.endswith("flat")
    assert fds.startswith("  open fds growth over the second half") and fds.endswith("growing")
    assert "backlog when the load stopped: 70 raw events, drained to 0 in 2.5 s" in text
    undrained = SoakResult(3000, 26.0, 52.0, soak_result().samples, 900, None)
    assert "900 raw events, not drained within the wait" in soak_lines(undrained)[-1]


def test_a_long_soak_prints_at_most_the_given_rows_first_and_last_included() -> None:
    samples = soak_result(121).samples
    shown = spread(samples, 16)
    assert len(shown) == 16 and shown[0] == samples[0] and shown[-1] == samples[-1]
    assert spread(samples[:5], 16) == samples[:5]


def test_the_json_line_carries_the_soak_only_when_there_was_one() -> None:
    bench = BenchResult(3, 2, 60.0, 100.0, 0.83, 35.0, 90.0, 2.1, 410.0)
    assert figures(bench) == bench.as_dict()
    soaked = json.loads(
        json.dumps(
            figures(BenchResult(3, 2, 60.0, 100.0, 0.83, 35.0, 90.0, 2.1, 410.0, soak_result()))
        )
    )
    assert set(soaked) == set(bench.as_dict()) | {"soak"}
    assert len(soaked["soak"]["samples"]) == 5
    assert soaked["soak"]["fds_verdict"] == "growing"
    assert soaked["soak"]["rss_verdict"] == "flat"


@pytest.mark.parametrize("share", ["0", "1.5", "-0.5"])
def test_a_soak_load_outside_zero_to_one_is_refused(share: str) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["bench", "--soak-load", share])
