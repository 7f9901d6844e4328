"""The web desk in a real browser: headless Chromium driven by Selenium, one scenario per preset.

Run by the Swift test `BrowserTests`, which starts a desk, creates its customers and people, and
passes them as JSON on standard input. This script is a client: it signs people in, logs cases
through the forms, works them from the console, and checks that what each page says about the
clocks is what the API answers for the same case. Every page it sees is checked with axe-core
(WCAG 2.x A and AA, 2.2 included) and saved for the Nu HTML checker.

The desk's clock belongs to the Swift test: to let time pass the script prints `ADVANCE <seconds>`
and waits for `OK` on standard input.

Exit status 0 when every check held; otherwise each failure is printed, one a line, `FAIL …`.
"""
import json
import os
import re
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

CONFIG = json.loads(sys.stdin.readline())
BASE = CONFIG["base"]
OUT = CONFIG["out"]
AXE = open(CONFIG["axe"], encoding="utf-8").read()
FAILURES = []
PAGES = 0
PAINTS = {}


def fail(message):
    FAILURES.append(message)
    print("FAIL " + message, flush=True)


def check(condition, message):
    if not condition:
        fail(message)
    return condition


def advance(seconds):
    print(f"ADVANCE {seconds}", flush=True)
    answer = sys.stdin.readline().strip()
    if answer != "OK":
        raise SystemExit(f"the test did not move the clock: {answer!r}")


def api(path, token, method="GET", body=None):
    request = urllib.request.Request(BASE + path, method=method, headers={"Authorization": "Bearer " + token})
    if body is not None:
        request.data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


class Browser:
    """One person's browser: its own profile, so its own cookies."""

    def __init__(self, name):
        self.name = name
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en-GB"):
            options.add_argument(argument)
        environment = dict(os.environ, TZ=CONFIG.get("viewerZone", "Europe/Oslo"))
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver", env=environment), options=options)
        self.driver.implicitly_wait(0)

    def close(self):
        self.driver.quit()

    # Pages

    def open(self, path):
        self.driver.get(BASE + path)
        self.seen()

    def seen(self):
        """Checks the page now shown: axe, and its HTML kept for the validator."""
        global PAGES
        PAGES += 1
        title = self.driver.title
        source = self.driver.page_source
        name = re.sub(r"[^a-z0-9]+", "-", f"{PAGES:03d} {self.name} {title}".lower()).strip("-")[:80]
        with open(os.path.join(OUT, name + ".html"), "w", encoding="utf-8") as file:
            file.write("<!DOCTYPE html>\n" + source)
        self.driver.execute_script(AXE)
        violations = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
            ".then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' — ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join('; '))))"
            ".catch(e => done(['axe failed: ' + e]));")
        for violation in violations:
            fail(f"axe on '{title}' ({self.driver.current_url}): {violation}")

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "main").text

    def fill(self, field_id, value):
        element = self.driver.find_element(By.ID, field_id)
        element.clear()
        element.send_keys(value)

    def choose(self, name, value):
        self.driver.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']").click()

    def select(self, field_id, value):
        from selenium.webdriver.support.ui import Select
        menu = Select(self.driver.find_element(By.ID, field_id))
        values = [option.get_attribute("value") for option in menu.options]
        if value not in values:
            raise SystemExit(f"{self.name}: {field_id} offers {values}, not {value}, on {self.driver.current_url}: {self.text()[:600]}")
        menu.select_by_value(value)

    def submit(self, button_text):
        buttons = [b for b in self.driver.find_elements(By.CSS_SELECTOR, "main button") if b.text.strip() == button_text]
        if not buttons:
            raise SystemExit(f"{self.name}: no button '{button_text}' on {self.driver.current_url}")
        self.navigating(buttons[0].click)

    def navigating(self, action):
        """Does `action`, which leaves the page, and checks the page it leads to once it has loaded."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        action()
        def left(_):
            try:
                old.is_enabled()
                return False
            except WebDriverException:  # stale, or (Chromium) "node does not belong to the document": the page is gone
                return True
        WebDriverWait(self.driver, 20).until(left)
        WebDriverWait(self.driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.seen()

    def sign_in(self, person):
        self.open("/sign-in")
        self.fill("email", person["email"])
        self.fill("password", person["password"])
        self.navigating(lambda: self.driver.find_element(By.ID, "password").send_keys(Keys.ENTER))
        check("/sign-in" not in self.driver.current_url, f"{self.name}: signing in as {person['email']} failed: {self.text()[:200]}")

    def case_id(self):
        match = re.search(r"/(?:portal|console)/cases/([0-9A-F-]{36})", self.driver.current_url)
        return match.group(1) if match else None

    def clock_dues(self):
        """Each clock's due on the case page, as the page's machine-readable <time datetime>."""
        dues = {}
        for article in self.driver.find_elements(By.CSS_SELECTOR, "article.clock"):
            metric = article.get_attribute("aria-labelledby").removeprefix("clock-")
            times = article.find_elements(By.CSS_SELECTOR, "dd time")
            if times:
                dues[metric] = times[0].get_attribute("datetime")
        return dues

    def explanation(self, metric):
        article = self.driver.find_element(By.CSS_SELECTOR, f"article[aria-labelledby='clock-{metric}']")
        details = article.find_element(By.CSS_SELECTOR, "details")
        details.find_element(By.TAG_NAME, "summary").click()
        return details.text


def same_clocks(browser, case_id, token, who):
    """The clocks on the page are the API's clocks for the same case at the same moment."""
    case = api(f"/api/v1/cases/{case_id}", token)
    expected = {c["metric"]: c["due"] for c in case["clocks"] if "due" in c}
    shown = browser.clock_dues()
    check(shown == expected, f"{who}: the page's dues {shown} are not the API's {expected}")
    for metric in expected:
        explained = api(f"/api/v1/cases/{case_id}/clocks/{metric}/explanation", token)
        text = browser.explanation(metric)
        check(explained["rule"] in text, f"{who}: {metric}: the page's explanation lacks the rule '{explained['rule']}'")
        check(explained["due"]["local"] in text, f"{who}: {metric}: the page's explanation lacks the due {explained['due']['local']}")
        for day in explained["days"]:
            if day.get("holiday"):
                check(day["holiday"] in text, f"{who}: {metric}: the page's explanation does not name the holiday {day['holiday']}")
    return case


def paint(browser, label):
    entries = browser.driver.execute_script(
        "return performance.getEntriesByType('paint').filter(e => e.name === 'first-contentful-paint').map(e => e.startTime)")
    if entries:
        PAINTS[label] = entries[0]


def screenshot(browser, name):
    directory = CONFIG.get("screenshots")
    if directory:
        browser.driver.save_screenshot(os.path.join(directory, name + ".png"))


# Scenarios

def log_and_work(preset, customer, agent, form, priority_to=None, refused=None):
    """A customer logs a case through the form (refused first where the contract refuses), an
    agent takes it from the queue, replies, pauses it and changes its priority; both sides'
    clocks are the API's all along."""
    people = CONFIG["people"]
    if refused:
        who, fields, words = refused
        browser = Browser(f"{preset}-refused")
        browser.sign_in(people[who])
        browser.open("/portal/cases/new")
        for name, value in fields:
            set_field(browser, name, value)
        browser.submit("Log the case")
        for word in words:
            check(word in browser.text(), f"{preset}: the refusal does not say '{word}': {browser.text()[:400]}")
        browser.close()

    browser = Browser(f"{preset}-customer")
    browser.sign_in(people[customer])
    browser.open("/portal/cases/new")
    screenshot(browser, f"{preset}-log-a-case")
    for name, value in form:
        set_field(browser, name, value)
    # A screenshot of the problem goes with the case, through the form's file field.
    attachment = os.path.join(OUT, f"{preset}-problem.txt")
    with open(attachment, "w", encoding="utf-8") as file:
        file.write(f"What {preset}'s customer saw\n")
    browser.driver.find_element(By.ID, "files").send_keys(attachment)
    browser.submit("Log the case")
    case_id = check(browser.case_id(), f"{preset}: logging did not open the case: {browser.text()[:400]}") and browser.case_id()
    if not case_id:
        browser.close()
        return
    files = [a.text for a in browser.driver.find_elements(By.CSS_SELECTOR, "a[href^='/attachments/']")]
    check(files == [f"{preset}-problem.txt"], f"{preset}: the case does not list the file sent with it: {files}")
    paint(browser, f"{preset} case page (customer)")
    check("We will" in browser.text() or "No target" in browser.text(), f"{preset}: the customer's page does not give the promise in words")
    same_clocks(browser, case_id, people[customer]["token"], f"{preset} customer")
    screenshot(browser, f"{preset}-customer-case")

    console = Browser(f"{preset}-agent")
    console.sign_in(people[agent])
    console.open("/console/queues")
    screenshot(console, f"{preset}-queues")
    console.submit("Take the next case")
    check(console.case_id() == case_id, f"{preset}: take-next opened {console.case_id()}, not the case just logged {case_id}")
    paint(console, f"{preset} case page (agent)")
    same_clocks(console, case_id, people[agent]["token"], f"{preset} agent")
    console.fill("body", f"Thanks — we are on it ({preset}).")
    console.submit("Send")
    console.select("new-status", "awaiting-customer")
    console.submit("Change status")
    check("Awaiting customer" in console.text(), f"{preset}: the status did not change")
    if priority_to:
        console.select("new-priority", priority_to)
        console.submit("Preview how the clocks move")
        check("If the priority changes to" in console.text(), f"{preset}: no preview of the priority change")
        screenshot(console, f"{preset}-priority-preview")
        buttons = [b for b in console.driver.find_elements(By.CSS_SELECTOR, "main button") if b.text.startswith("Save: change to")]
        check(bool(buttons), f"{preset}: no button to save the previewed priority")
        if buttons:
            console.navigating(buttons[0].click)
    advance(1800)
    console.open(f"/console/cases/{case_id}")
    same_clocks(console, case_id, people[agent]["token"], f"{preset} agent after the pause")
    screenshot(console, f"{preset}-agent-case")
    browser.open(f"/portal/cases/{case_id}")
    check(f"Thanks — we are on it ({preset})." in browser.text(), f"{preset}: the customer does not see the reply")
    same_clocks(browser, case_id, people[customer]["token"], f"{preset} customer after the pause")
    browser.open("/portal/organization")
    check("Your plan" in browser.text(), f"{preset}: the organization page does not show the plan")
    screenshot(browser, f"{preset}-organization")
    browser.open("/account")
    browser.close()
    console.close()


def set_field(browser, name, value):
    radios = browser.driver.find_elements(By.CSS_SELECTOR, f"input[type=radio][name='{name}']")
    if radios:
        browser.choose(name, value)
    elif browser.driver.find_elements(By.CSS_SELECTOR, f"select#{name}"):
        browser.select(name, value)
    else:
        browser.fill(name, value)


def plm_visibility():
    """PLM: the request is the requester's; another requester of the customer does not see it,
    a CC'd person sees what the API lets them see; field problems sit next to their fields."""
    people = CONFIG["people"]
    ola = Browser("plm-requester")
    ola.sign_in(people["plm-ola"])
    ola.open("/portal/cases/new")
    for name, value in CONFIG["plmForm"]:
        set_field(ola, name, "25" if name == "version" else value)
    ola.submit("Log the case")
    error = ola.driver.find_elements(By.ID, "version-error")
    check(bool(error) and "does not match" in error[0].text, "plm: the version's problem is not shown next to it")
    described = ola.driver.find_element(By.ID, "version").get_attribute("aria-describedby")
    check(described == "version-error", "plm: the version field does not point at its problem")
    ola.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", ola.driver.find_element(By.ID, "version"))
    screenshot(ola, "plm-field-errors")
    ola.fill("version", "2025")
    ola.fill("cc", people["plm-per"]["email"])
    ola.submit("Log the case")
    case_id = ola.case_id()
    check(case_id, f"plm: the corrected form did not log: {ola.text()[:300]}")
    ola.close()
    for key in ("plm-kari", "plm-per"):
        other = Browser(key)
        other.sign_in(people[key])
        other.open(f"/portal/cases/{case_id}")
        try:
            api(f"/api/v1/cases/{case_id}", people[key]["token"])
            expected = True
        except urllib.error.HTTPError as error:
            expected = error.code != 404
        shown = "Service clocks" in other.text()
        check(shown == expected, f"plm: {key} sees the case on the page: {shown}, through the API: {expected}")
        other.close()


def board():
    """The managers' board, the console's list by next breach, and the attainment report."""
    people = CONFIG["people"]
    browser = Browser("manager")
    browser.sign_in(people["manager"])
    browser.open("/console/board")
    check("Breaching next" in browser.text(), "board: no 'Breaching next'")
    screenshot(browser, "board")
    browser.open("/console/cases?sort=due")
    browser.open("/console/cases?breached=true")
    browser.open("/console/reports/attainment?by=customer&by=priority")
    check("SLA attainment" in browser.text() and "Breached cases" in browser.text(), "reports: no attainment table")
    screenshot(browser, "report")
    browser.open("/console/reports/attainment?period=2026-Q5")
    check("period must be a month" in browser.text(), "reports: a bad period is not told")
    browser.open("/console/reports/vulnerabilities")
    check("Overdue:" in browser.text(), "ledgers: no counts on the vulnerability ledger")
    browser.open("/console/reports/defects?state=all")
    browser.open("/console/customers")
    acme = [a.get_attribute("href") for a in browser.driver.find_elements(By.CSS_SELECTOR, "main table a") if a.text == "ACME Inc"]
    if check(bool(acme), "customers: ACME Inc (Plex Gold) is not listed"):
        browser.open(acme[0][len(BASE):] + "/reviews")
        check("Service review" in browser.text() and "Renewal" in browser.text(), "reviews: no review of ACME Inc (Plex Gold)")
        screenshot(browser, "review")
        # The manager keeps the quarter as a draft, writes the notes, publishes it.
        keep = [e for e in browser.driver.find_elements(By.CSS_SELECTOR, "main details > summary") if e.text == "Keep as a draft"]
        if check(bool(keep), "reviews: a manager is offered no 'Keep as a draft'"):
            keep[0].click()
            button = [b for b in browser.driver.find_elements(By.CSS_SELECTOR, "main button") if b.text.startswith("Keep a draft of")]
            browser.navigating(button[0].click)
            check("a draft the customer does not see yet" in browser.text(), f"reviews: the kept draft is not shown: {browser.text()[:300]}")
            browser.fill("notes-notes", "The open export case waits on the 2026.4 release.")
            browser.submit("Save the notes")
            browser.submit("Publish version 1")
            check("Notes from your account team" in browser.text() and ", published " in browser.text(),
                  f"reviews: the published version does not show its notes: {browser.text()[:300]}")
        browser.open(acme[0][len(BASE):] + "/maintenance")
        check("Scheduled maintenance per calendar month" in browser.text(), "maintenance: no year grid for ACME Inc")
        browser.open("/console/customers")
    customers = browser.driver.find_elements(By.CSS_SELECTOR, "main table a")
    if check(bool(customers), "customers: the console lists none"):
        browser.navigating(customers[0].click)
        invite = [b for b in browser.driver.find_elements(By.CSS_SELECTOR, "main button") if b.text == "Invite"]
        if check(bool(invite), "customers: no invitation button for a manager"):
            browser.navigating(invite[0].click)
            check("/invitations/aci_" in browser.driver.find_element(By.ID, "invitation-link").get_attribute("value"),
                  "customers: the invitation link is not shown")
    browser.close()


def administration():
    """An administrator at the console's administration: a customer's subscription (a refused
    extension shown beside its field, then one recorded), a person's page, the staff, a queue's
    team, and policies — an upload refused with its problems at their lines, then a new version
    compared with the one in force."""
    people = CONFIG["people"]
    browser = Browser("admin")
    browser.sign_in(people["admin"])
    browser.open("/console/customers")
    acme = [a for a in browser.driver.find_elements(By.CSS_SELECTOR, "main table a") if a.text == "ACME Inc"]
    if not check(bool(acme), "administration: ACME Inc is not listed"):
        browser.close()
        return
    browser.navigating(acme[0].click)

    def open_form(title):
        summary = [e for e in browser.driver.find_elements(By.CSS_SELECTOR, "main details > summary") if e.text == title]
        if not summary:
            raise SystemExit(f"administration: no form '{title}' on {browser.driver.current_url}")
        summary[0].click()

    def set_value(field_id, value):
        browser.driver.execute_script("arguments[0].value = arguments[1]", browser.driver.find_element(By.ID, field_id), value)

    open_form("Extend the term in force")
    set_value("extension-termEnd", "2026-06-30")
    browser.submit("Record the extension")
    error = browser.driver.find_elements(By.ID, "extension-termEnd-error")
    check(bool(error) and error[0].is_displayed(), f"administration: a refused extension shows no error beside its field: {browser.text()[:400]}")
    if error:
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", error[0])
    screenshot(browser, "customer-subscription-refused")
    set_value("extension-termEnd", "2027-03-31")
    browser.fill("extension-reason", "aligned with the customer's fiscal year")
    browser.submit("Record the extension")
    check("Recorded: the term from 2026-01-01 extended from 2026-12-31 to 2027-03-31" in browser.text(),
          f"administration: the extension is not recorded: {browser.text()[:400]}")
    person = [a for a in browser.driver.find_elements(By.CSS_SELECTOR, "main table a") if a.text == "bob@acme.test"]
    if check(bool(person), "administration: no link to bob@acme.test's page"):
        browser.navigating(person[0].click)
        check("Change name, email or role" in browser.text(), "administration: a person's page offers no changes to an administrator")
    browser.open("/console/staff")
    check("tia@provider.test" in browser.text(), "administration: the staff page does not list tia")
    browser.open("/console/queues")
    queues = browser.driver.find_elements(By.CSS_SELECTOR, "main table a")
    if check(bool(queues), "administration: no queue to open"):
        browser.navigating(queues[0].click)
        check("Add a member to" in browser.text(), "administration: a queue's page offers no team changes to an administrator")

    browser.open("/console/policies")
    request = urllib.request.Request(BASE + "/api/v1/policies/plex/versions/2025.2", headers={"Authorization": "Bearer " + people["admin"]["token"]})
    with urllib.request.urlopen(request) as response:
        plex = response.read().decode()
    newer = plex.replace('version: "2025.2"', 'version: "2026.1"').replace("p2: 24 business hours", "p2: 16 business hours", 1)
    broken = newer.replace("p2: 16 business hours", "p2: 16 fortnights", 1)
    open_form("Upload a policy version")
    set_value("upload-yaml", broken)
    browser.submit("Check and upload")
    marked = browser.driver.find_elements(By.CSS_SELECTOR, "ol.source li.problem")
    check(bool(marked) and "16 fortnights" in marked[0].text, "administration: the refused upload's problem line is not marked")
    problems = browser.driver.find_elements(By.ID, "problems-heading")
    if problems:
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", problems[0])
    screenshot(browser, "policy-problems")
    set_value("upload-yaml", newer)
    browser.submit("Check and upload")
    check("Changes from 2025.2, the version in force" in browser.text(), f"administration: no diff on the new version's page: {browser.text()[:300]}")
    removed = [row.text for row in browser.driver.find_elements(By.CSS_SELECTOR, "table.diff tr.removed")]
    added = [row.text for row in browser.driver.find_elements(By.CSS_SELECTOR, "table.diff tr.added")]
    check(any("24 business hours" in r for r in removed) and any("16 business hours" in a for a in added),
          f"administration: the diff does not show Silver P2 24 → 16 business hours: {removed} / {added}")
    diff = browser.driver.find_elements(By.ID, "diff-heading")
    if diff:
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", diff[0])
    screenshot(browser, "policy-diff")
    browser.open("/console/settings")
    check("Alert mail" in browser.text() and "Edit the text of sla.breach" in browser.text(), "administration: the settings page lacks mail or templates")
    browser.close()


def keyboard_and_live():
    """The keyboard alone reaches every control of the console's case page, each with a visible
    focus; "?" lists the single-key shortcuts, which can be switched off; live updates can be paused."""
    people = CONFIG["people"]
    browser = Browser("keyboard")
    browser.sign_in(people["agent"])
    browser.open("/console/cases")
    links = browser.driver.find_elements(By.CSS_SELECTOR, "main table a")
    if not check(bool(links), "keyboard: the console lists no case"):
        browser.close()
        return
    browser.navigating(links[0].click)
    body = browser.driver.find_element(By.TAG_NAME, "body")
    seen = set()
    for _ in range(120):
        # Through the keyboard, not an element: sending keys to a file field would choose a file.
        webdriver.ActionChains(browser.driver).send_keys(Keys.TAB).perform() if seen else body.send_keys(Keys.TAB)
        element = browser.driver.switch_to.active_element
        key = element.id
        if key in seen or element.tag_name == "body":  # back round to the start: every control was reached
            break
        seen.add(key)
        outline = browser.driver.execute_script(
            "const s = getComputedStyle(arguments[0]); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;", element)
        check(outline, f"keyboard: no visible focus on <{element.tag_name}> '{element.text[:40] or element.get_attribute('name')}'")
    check(len(seen) >= 10, f"keyboard: Tab reached only {len(seen)} controls on the case page")
    # "?" opens the list of shortcuts, a modal dialog; its switch turns single keys off.
    browser.driver.find_element(By.TAG_NAME, "h1").click()
    browser.driver.switch_to.active_element.send_keys("?")
    dialog = browser.driver.find_elements(By.CSS_SELECTOR, "dialog[open]")
    check(bool(dialog), "shortcuts: '?' did not open the list")
    if dialog:
        browser.seen()
        dialog[0].find_element(By.ID, "shortcuts-on").click()
        dialog[0].find_element(By.ID, "shortcuts-close").click()
        url = browser.driver.current_url
        browser.driver.find_element(By.TAG_NAME, "h1").click()
        browser.driver.switch_to.active_element.send_keys("q")
        time.sleep(0.3)
        check(browser.driver.current_url == url, "shortcuts: switched off, 'q' still left the page")
        browser.driver.execute_script("localStorage.setItem('accord.shortcuts', 'on')")
    pause = browser.driver.find_elements(By.CSS_SELECTOR, ".live-control button")
    check(bool(pause), "live: the case page has no control to pause live updates")
    if pause:
        pause[0].click()
        check(pause[0].get_attribute("aria-pressed") == "true", "live: pausing is not shown as pressed")
        pause[0].click()
    countdowns = browser.driver.find_elements(By.CSS_SELECTOR, "[data-countdown]")
    for countdown in countdowns:
        check(re.match(r"due (in .+ on the wall clock|.+ ago)$", countdown.text) is not None, f"live: a countdown reads '{countdown.text}'")
    browser.close()


def csrf_and_expiry():
    """A form posted from another site is refused; a session idle past its limit ends."""
    people = CONFIG["people"]
    browser = Browser("csrf")
    browser.sign_in(people["plex-ann"])
    # A page of another origin posts to the desk: SameSite keeps the cookie home, and without the
    # form token the desk refuses anyway.
    forged = "data:text/html," + urllib.parse.quote(
        f"<form method=post action='{BASE}/account/tokens'><input name=label value=forged></form><script>document.forms[0].submit()</script>")
    browser.driver.get(forged)
    time.sleep(1)
    tokens = api(f"/api/v1/people/{people['plex-ann']['id']}/tokens", people["plex-ann"]["token"])["items"]
    check(not any(t["label"] == "forged" for t in tokens), "csrf: a cross-site post made a token")
    browser.open("/account")
    check("Your account" in browser.text(), "csrf: the session did not survive the forged post")
    advance(3 * 3600)
    browser.open("/account")
    check("/sign-in" in browser.driver.current_url and "Your session ended" in browser.text(),
          f"expiry: after 3 idle hours the account page still opens: {browser.driver.current_url}")
    browser.close()


import urllib.parse  # noqa: E402  (used by csrf_and_expiry)

try:
    for scenario in CONFIG["scenarios"]:
        kind = scenario["kind"]
        if kind == "log-and-work":
            log_and_work(scenario["preset"], scenario["customer"], scenario["agent"], scenario["form"],
                         scenario.get("priorityTo"), tuple(scenario["refused"]) if scenario.get("refused") else None)
        elif kind == "plm-visibility":
            plm_visibility()
        elif kind == "csrf-and-expiry":
            csrf_and_expiry()
        elif kind == "keyboard-and-live":
            keyboard_and_live()
        elif kind == "board":
            board()
        elif kind == "administration":
            administration()
except SystemExit:
    raise
except Exception as error:  # a scenario that cannot go on is a failure, with where it stopped
    import traceback
    where = " / ".join(f"{frame.name}:{frame.lineno}" for frame in traceback.extract_tb(error.__traceback__))
    fail(f"the scenario stopped at {where}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")

print("RESULT " + json.dumps({"pages": PAGES, "failures": len(FAILURES), "firstContentfulPaintMs": PAINTS}), flush=True)
sys.exit(1 if FAILURES else 0)
