"""An accessibility audit with axe-core, vendored (tests/browser/vendor/, see its LICENSE
file: MPL-2.0), of every kind of page: kiosk, phone, staff, admin, display, sign-in.

axe is injected into each page (the context bypasses the app's Content-Security-Policy for
that one script, which the app itself never loads) and every violation of impact
critical, serious or moderate fails the test, listed with the elements it names.
"""

import re
from pathlib import Path

from playwright.sync_api import expect

from app.clock import local_today
from app.extensions import db
from app.models import Role
from app.services import queue
from tests.factories import posting, staff_user, worker

from .conftest import shot
from .kiosk_helpers import panel_done
from .staff_helpers import sign_in
from .test_queue_flow import check_in_by_touch
from .test_registration_flow import fill_form, open_form, submit

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"
FAILING_IMPACTS = {"critical", "serious", "moderate"}
# Nothing is left out of the audit. (The on-screen panel is audited open, in two of its
# modes: hidden elements are not audited.)
EXCLUDE: list = []

RUN_AXE = """async (exclude) => {
  const result = await axe.run({ include: [document], exclude: exclude },
                               { resultTypes: ["violations"] });
  return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")) }));
}"""


# Text a kiosk or phone user sees (and what a screen reader reads out): no English words.
LATIN_WORDS = re.compile(r"[A-Za-z]{2,}")
SEEN_TEXT = """() => [document.title, document.body.innerText,
  ...Array.from(document.querySelectorAll("[aria-label], [placeholder], [title]"))
     .filter(el => el.getClientRects().length)
     .map(el => [el.getAttribute("aria-label"), el.getAttribute("placeholder"), el.getAttribute("title")].join(" "))
].join("\\n")"""


class Audit:
    def __init__(self):
        self.found = {}
        self.pages = []
        self.english = {}

    def __call__(self, page, name, public=False):
        """Audit the page; ``public``: a kiosk or phone page, whose text must be Chinese."""
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        violations = [v for v in page.evaluate(RUN_AXE, EXCLUDE) if v["impact"] in FAILING_IMPACTS]
        self.pages.append(name)
        if violations:
            self.found[name] = violations
        if public and (words := LATIN_WORDS.findall(page.evaluate(SEEN_TEXT))):
            self.english[name] = words

    def report(self) -> str:
        return "\n".join(f"{name}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
                         for name, violations in self.found.items() for v in violations)


def sign_in_as_manager(page, base_url, next_path):
    sign_in(page, base_url, username="boss")
    page.goto(f"{base_url}{next_path}")


def test_no_serious_accessibility_violations_on_any_kind_of_page(page_at, live_server, live_app):
    audit = Audit()

    # before any account exists: the first-run setup
    page = page_at(1366, 768, bypass_csp=True)
    page.goto(f"{live_server}/setup")
    expect(page.locator("form")).to_be_visible()
    audit(page, "setup")

    with live_app.app_context():
        staff_user(username="boss", role=Role.MANAGER)
        record = worker()
        worker_token = record.qr_token
        replaced_token = worker(id_number="34052419800101001X").qr_token
        worker(id_number="34052419800101001X")  # the same person again: a new slip
        posting_id = posting(requirements="能吃苦").id
        ticket = queue.new_ticket("consult", local_today())
        db.session.commit()
        ticket_token = ticket.status_token

    # the kiosk, portrait, by touch: registration with errors, review and done
    kiosk = page_at(1080, 1920, bypass_csp=True)
    kiosk.goto(f"{live_server}/kiosk/")
    audit(kiosk, "kiosk start", public=True)
    kiosk.goto(f"{live_server}/kiosk/privacy")
    audit(kiosk, "privacy", public=True)
    kiosk.goto(f"{live_server}/kiosk/worker")
    audit(kiosk, "worker menu", public=True)
    kiosk.goto(f"{live_server}/kiosk/jobs")
    audit(kiosk, "job board", public=True)
    kiosk.goto(f"{live_server}/kiosk/jobs/{posting_id}/apply")
    audit(kiosk, "job apply", public=True)
    open_form(kiosk, live_server)
    audit(kiosk, "register form", public=True)
    kiosk.locator("#phone").tap()
    expect(kiosk.locator("#keypad")).to_be_visible()
    audit(kiosk, "keypad open", public=True)
    panel_done(kiosk)
    kiosk.locator("#name").tap()
    expect(kiosk.locator("#keypad [data-body=pinyin]")).to_be_visible()
    audit(kiosk, "pinyin panel open", public=True)
    panel_done(kiosk)
    assert submit(kiosk, "下一步：核对信息", "/kiosk/register/review") == 422
    expect(kiosk.locator(".error-summary")).to_be_visible()
    audit(kiosk, "register with errors", public=True)
    fill_form(kiosk)
    assert submit(kiosk, "下一步：核对信息", "/kiosk/register/review") == 200
    audit(kiosk, "register review", public=True)
    assert submit(kiosk, "确认登记", "/kiosk/register") == 200
    audit(kiosk, "register done", public=True)
    # the idle warning's markup, shown at once rather than after the idle time
    kiosk.evaluate("document.getElementById('idle-warning').hidden = false")
    audit(kiosk, "idle warning", public=True)

    # check-in: both steps, review, done
    steps = {"2-form": "check-in step 1", "5-form-filled": "check-in step 2",
             "6-review": "check-in review", "7-done": "check-in done"}
    checkin = page_at(1080, 1920, bypass_csp=True)
    check_in_by_touch(checkin, live_server,
                      on_step=lambda step: step in steps and audit(checkin, steps[step], public=True))

    # the phone pages
    phone = page_at(390, 844, bypass_csp=True)
    phone.goto(f"{live_server}/w/{worker_token}")
    audit(phone, "phone record", public=True)
    phone.goto(f"{live_server}/q/{ticket_token}")
    audit(phone, "phone ticket", public=True)
    phone.goto(f"{live_server}/w/{replaced_token}")
    expect(phone.locator("h1")).to_contain_text("这张凭条已被新的凭条替换")
    audit(phone, "phone replaced slip", public=True)

    # staff and admin screens, the display, sign-in
    staff = page_at(1366, 768, bypass_csp=True)
    staff.goto(f"{live_server}/staff/login")
    audit(staff, "login")
    sign_in_as_manager(staff, live_server, "/staff/queue/1")
    audit(staff, "staff queue")
    for path, name in (("/staff/workers", "staff workers"), ("/staff/print-jobs", "print jobs"),
                       ("/admin/users", "admin users"), ("/admin/audit", "audit"),
                       ("/kiosk/terminal", "terminal page")):
        staff.goto(f"{live_server}{path}")
        audit(staff, name)
    display = page_at(1920, 1080, bypass_csp=True)
    display.goto(f"{live_server}/display/")
    audit(display, "display")
    shot(display, "a11y-display")

    assert len(audit.pages) >= 18, audit.pages
    assert not audit.found, "accessibility violations:\n" + audit.report()
    assert not audit.english, f"English where kiosk and phone users read: {audit.english}"
