"""The kiosk's start screen shows who supervises the hall and where to complain (item B1),
on the screen itself, without scrolling, in portrait and landscape."""

import pytest
from playwright.sync_api import expect

from .conftest import shot

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


@pytest.mark.parametrize("app_overrides", [{"HALL_COMPLAINT_PHONE": "0598-5831234"}])
@pytest.mark.parametrize("orientation", list(SIZES))
def test_start_screen_shows_supervisor_and_complaint_phone(page_at, live_server, orientation):
    width, height = SIZES[orientation]
    page = page_at(width, height)
    page.goto(f"{live_server}/kiosk/")
    block = page.locator(".supervision")
    expect(block).to_contain_text("监督单位")
    expect(block).to_contain_text("沙县区人力资源和社会保障局")
    expect(block).to_contain_text("监督投诉电话")
    expect(block.locator(".supervision-phone")).to_have_text("0598-5831234")
    box = block.bounding_box()
    assert box and box["y"] + box["height"] <= height, f"{orientation}: below the fold: {box}"
    big = page.locator(".big-choice").first.bounding_box()
    assert box["y"] >= big["y"] + big["height"], "the supervision block must not cover the choices"
    font = block.locator(".supervision-phone").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font >= 28, f"the complaint phone must be readable from a step away ({font}px)"
    shot(page, f"start-{orientation}-supervision")
