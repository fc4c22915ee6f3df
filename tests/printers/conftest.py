"""Shared helpers for the printers tests (no Flask here)."""

from __future__ import annotations

import os

import pytest

from printers.config import DEFAULT_FONTS

WQY_FONT = DEFAULT_FONTS[0]


@pytest.fixture
def wqy_font() -> str:
    if not os.path.isfile(WQY_FONT):
        pytest.skip(f"CJK font missing: {WQY_FONT} (apt-get install fonts-wqy-microhei)")
    return WQY_FONT
