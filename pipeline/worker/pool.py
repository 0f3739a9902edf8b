"""A bounded process pool for the CPU-heavy stages, so the event loop never blocks on them."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from pipeline.cleaning.extract import DEFAULT_OPTIONS, ExtractionOptions
from pipeline.core.orphans import die_with_parent
from pipeline.worker.processing import Outcome, dead_letter_for, process_batch, warm_up

log = logging.getLogger(__name__)


class ProcessingPool:
    """Runs batches in worker processes; a payload that kills its process is dead-lettered."""

    def __init__(
        self, size: int, tagger_spec: str = "", extraction: ExtractionOptions = DEFAULT_OPTIONS
    ) -> None:
        self.size = size
        self.tagger_spec = tagger_spec
        self.extraction = extraction
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=start_pool_process,
            initargs=(os.getpid(), self.tagger_spec, self.extraction),
        )

    async def run_spread(self, payloads: list[bytes]) -> AsyncIterator[tuple[range, list[Outcome]]]:
        """Split a batch over the processes and yield each part's outcomes as soon as it is done,
        with the positions in `payloads` they belong to (one outcome per payload, in order).

        A full batch keeps every process busy; a small one (light load, a burst from one fetch)
        is not worked through by one process while the others wait, which is what latency needs.
        """
        parts = split_evenly(payloads, self.size)
        starts = [sum(len(p) for p in parts[:index]) for index in range(len(parts))]

        async def run_part(index: int) -> tuple[range, list[Outcome]]:
            start = starts[index]
            return range(start, start + len(parts[index])), await self.run(parts[index])

        for finished in asyncio.as_completed([run_part(i) for i in range(len(parts))]):
            yield await finished

    async def run(self, payloads: list[bytes]) -> list[Outcome]:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, process_batch, payloads)
        except BrokenProcessPool:
            log.error("a pool process died; retrying the batch one payload at a time")
            self._restart()
        outcomes = []
        for payload in payloads:
            try:
                result = await loop.run_in_executor(self._executor, process_batch, [payload])
                outcomes.extend(result)
            except BrokenProcessPool as exc:
                self._restart()
                outcomes.append(dead_letter_for(payload, "clean", exc))
        return outcomes

    def _restart(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._new_executor()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def start_pool_process(parent_pid: int, tagger_spec: str, extraction: ExtractionOptions) -> None:
    """In each pool process: stop when the worker dies (even by SIGKILL), then warm up."""
    die_with_parent(parent_pid)
    warm_up(tagger_spec, extraction)


def split_evenly(items: list[bytes], parts: int) -> list[list[bytes]]:
    """At most `parts` contiguous runs of near-equal length, none empty."""
    count = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), count)
    runs, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        runs.append(items[start:end])
        start = end
    return [run for run in runs if run]
