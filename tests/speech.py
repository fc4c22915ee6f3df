"""Tests that need espeak-ng (the hall display's spoken calls): they skip where it is not
installed, except on CI (CI=true), where that is a failure: CI must run them."""

import os
import shutil

import pytest

SKIP_MESSAGE = "espeak-ng not installed: spoken-call tests skipped; apt-get install espeak-ng"
CI_MESSAGE = ("CI=true but espeak-ng is not installed: the spoken-call tests must run on CI; "
              "apt-get install espeak-ng")


def require_espeak_ng() -> None:
    if shutil.which("espeak-ng"):
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(CI_MESSAGE, pytrace=False)
    pytest.skip(SKIP_MESSAGE)
