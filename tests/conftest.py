import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PACK = Path(__file__).resolve().parent / "fixtures" / "pack"
LESSONS = ROOT / "tutor" / "lessons"


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Reference results are cached per test session, never in the developer's home."""
    os.environ["TUTOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("tutor-cache"))
    # `tutor init` would start compiling the kernels in a detached process, competing with the
    # tests for the CPU; tests/kernels/test_precompile.py turns it on where it is the subject.
    os.environ.setdefault("TUTOR_PRECOMPILE", "0")
    yield


@pytest.fixture
def fixture_pack(tmp_path) -> Path:
    """A private copy of the fixture pack that a test may break."""
    dest = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, dest)
    return dest


@pytest.fixture
def tutor_cmd():
    return [sys.executable, "-m", "tutor"]
