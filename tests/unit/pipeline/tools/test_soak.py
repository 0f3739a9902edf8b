"""The soak's verdicts: growth over the second half of the run, for RSS and open descriptors."""

from __future__ import annotations

import os

from pipeline.tools.process_fds import open_fds
from pipeline.tools.soak import SoakResult, SoakSample, drain, growth_second_half


def result(*points: tuple[float, float, int]) -> SoakResult:
    return SoakResult(1000, 25.0, 50.0, [SoakSample(t, mb, fds) for t, mb, fds in points])


def test_growth_is_the_end_minus_the_sample_nearest_the_middle() -> None:
    points = [(0.0, 400.0), (60.0, 430.0), (120.0, 450.0), (180.0, 451.0), (240.0, 452.0)]
    assert growth_second_half(points) == 2.0
    assert growth_second_half([(0.0, 400.0)]) == 0.0


def test_memory_filling_in_the_first_half_then_holding_is_flat() -> None:
    soaked = result((0, 400, 60), (60, 430, 61), (120, 450, 62), (180, 451, 62), (240, 452, 62))
    assert soaked.growth_second_half_mb == 2.0
    assert soaked.growth_second_half_fds == 0
    assert (soaked.rss_verdict, soaked.fds_verdict) == ("flat", "flat")


def test_memory_still_rising_in_the_second_half_is_growing() -> None:
    soaked = result((0, 400, 60), (60, 405, 60), (120, 410, 60), (180, 415, 60), (240, 420, 60))
    assert soaked.rss_tolerance_mb == 0.02 * 410
    assert soaked.rss_verdict == "growing"
    assert soaked.fds_verdict == "flat"


def test_descriptors_leaking_are_growing_and_one_stray_socket_is_not() -> None:
    leaking = result((0, 400, 60), (60, 400, 64), (120, 400, 68), (180, 400, 72), (240, 400, 76))
    assert leaking.growth_second_half_fds == 8
    assert leaking.fds_verdict == "growing"
    stray = result((0, 400, 60), (60, 400, 60), (120, 400, 60), (180, 400, 60), (240, 400, 61))
    assert stray.fds_verdict == "flat"


def test_falling_is_flat() -> None:
    soaked = result((0, 400, 70), (120, 450, 70), (240, 420, 62))
    assert (soaked.rss_verdict, soaked.fds_verdict) == ("flat", "flat")


def test_two_samples_are_too_few_for_a_verdict() -> None:
    soaked = result((0, 400, 60), (12, 900, 900))
    assert soaked.rss_verdict == soaked.fds_verdict == "too short to tell"


def test_the_json_names_the_load_the_verdicts_and_every_sample() -> None:
    figures = result((0, 400, 60), (60, 410, 61), (120, 411, 61)).as_dict()
    assert figures["rate_articles_per_s"] == 25.0
    assert figures["capacity_articles_per_s"] == 50.0
    assert figures["rss_verdict"] == figures["fds_verdict"] == "flat"
    assert figures["samples"][-1] == {"seconds": 120, "rss_mb": 411, "fds": 61}
    assert len(figures["samples"]) == 3


def test_open_descriptors_are_counted_from_proc() -> None:
    before = open_fds([os.getpid()])
    read, write = os.pipe()
    try:
        assert open_fds([os.getpid()]) == before + 2
    finally:
        os.close(read)
        os.close(write)
    assert open_fds([os.getpid(), 2**22 + 1]) == before  # a pid that is gone counts nothing


def test_the_drain_reports_the_backlog_and_how_long_it_took_to_reach_zero() -> None:
    left = iter([120, 40, 0])
    backlog, seconds = drain(lambda: next(left), timeout_s=5, poll_s=0.1)
    assert backlog == 120
    assert seconds is not None and 0 < seconds < 5
    assert drain(lambda: 0, timeout_s=5) == (0, 0.0)


def test_a_backlog_that_does_not_drain_in_time_has_no_drain_time() -> None:
    assert drain(lambda: 500, timeout_s=0.05, poll_s=0.01) == (500, None)
