"""kill -9 a build at every named point and at random moments: nothing is lost.

Each case runs a real build in its own process (tests/crash_build.py), SIGKILLs it
(index/faults.py) and checks, with full checksum verification, that the live index
answers exactly as before (or, after the CURRENT switch, exactly as a clean build of
the new corpus), and that the next build succeeds and removes what the dead one left.
The longer sweep: python -m tests.crash_sweep --random 100.
"""
import random
import re
from pathlib import Path

import pytest

from index.faults import POINTS
from tests.crash_sweep import AFTER_SWITCH, kill_at_point, kill_at_random

REPO = Path(__file__).resolve().parent.parent


def test_every_crash_point_is_placed_once_in_the_build_code():
    code = "".join((REPO / "index" / name).read_text() for name in ("build.py", "plan.py", "storage.py", "generations.py"))
    placed = re.findall(r'checkpoint\("([\w-]+)"\)', code)
    assert sorted(placed) == sorted(POINTS) and len(POINTS) >= 10


@pytest.mark.parametrize("point", POINTS)
def test_kill_at_a_named_point_loses_nothing(tmp_path, point):
    assert kill_at_point(tmp_path, point) == ("new" if point in AFTER_SWITCH else "old")


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_kill_at_a_random_moment_loses_nothing(tmp_path, seed):
    kill_at_random(tmp_path, random.Random(seed), span=1.5)
