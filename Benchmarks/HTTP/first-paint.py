#!/usr/bin/env python3
"""First paint of a web desk page in headless Chromium on loopback: the browser's own
`first-contentful-paint`, for a page opened with a session cookie, several times.

    SE_OFFLINE=true python3 Benchmarks/HTTP/first-paint.py --base http://127.0.0.1:8097 \\
        --session acs_… --page /console/cases/<id> --runs 20

Prints each run's time and the median, in milliseconds (the page's stylesheet and script come
from the browser's cache after the first run, as for an agent working the desk).
"""
import argparse, statistics, time
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

parser = argparse.ArgumentParser()
parser.add_argument("--base", required=True)
parser.add_argument("--session", required=True)
parser.add_argument("--page", required=True)
parser.add_argument("--runs", type=int, default=20)
args = parser.parse_args()

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.get(args.base + "/health")
driver.add_cookie({"name": "accord_session", "value": args.session, "path": "/"})
driver.add_cookie({"name": "accord_zone", "value": "Europe/Oslo", "path": "/"})
times = []
for _ in range(args.runs):
    driver.get(args.base + args.page)
    if "/sign-in" in driver.current_url:
        raise SystemExit("the session did not open the page: " + driver.current_url)
    paint = None
    for _ in range(40):  # the entry is recorded a moment after the load event
        paint = driver.execute_script(
            "return performance.getEntriesByType('paint').filter(e => e.name === 'first-contentful-paint').map(e => e.startTime)[0]")
        if paint is not None:
            break
        time.sleep(0.05)
    if paint is None:
        raise SystemExit("the browser recorded no first contentful paint")
    times.append(paint)
driver.quit()
print("runs (ms):", " ".join(f"{t:.0f}" for t in times))
print(f"median first contentful paint: {statistics.median(times):.0f} ms; first (cold cache): {times[0]:.0f} ms; max: {max(times):.0f} ms")
