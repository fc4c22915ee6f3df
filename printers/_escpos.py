"""The one place that imports python-escpos and builds its printer profile.

Importing escpos leaves a temporary folder with a capabilities pickle in /tmp; we remove
it at exit unless ESCPOS_CAPABILITIES_PICKLE_DIR points to a folder chosen on purpose.
"""

from __future__ import annotations

import atexit
import copy
import os
import shutil

from escpos import capabilities
from escpos.capabilities import Profile, get_profile_class

from printers.config import COLUMNS, DOTS

if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
    atexit.register(shutil.rmtree, capabilities.pickle_dir, ignore_errors=True)


def make_profile(paper_mm: int) -> Profile:
    """A generic ESC/POS profile with the paper width in dots and all default features.

    A bare ``Profile()`` has no features (so it never cuts), and the ``default`` profile
    has an unknown width (so ``image()`` warns on every call and cannot centre).
    """
    default = get_profile_class("default")
    profile = Profile(columns=COLUMNS[paper_mm], features=dict(default.profile_data["features"]))
    data = copy.deepcopy(default.profile_data)
    data["name"] = f"Generic {paper_mm} mm"
    data["media"] = {"dpi": 203, "width": {"mm": paper_mm, "pixels": DOTS[paper_mm]}}
    profile.profile_data = data
    return profile
