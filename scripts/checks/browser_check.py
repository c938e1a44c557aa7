#!/usr/bin/python3
"""The run report's interactive HTML, checked in a real browser (run by `make test`).

Writes a report from copies of the committed fixtures (fixtures/simclr_f.h5, simclr_g.h5, images.h5) whose
attributes, class names and file names are hostile (`</script>`, `"><img src=x onerror=…>`, U+2028 …), opens it
in headless Chromium through chromedriver (Debian: chromium, chromium-driver, python3-selenium) and checks:

- nothing from the input files executes: no global set by an onerror/onload, no <img src=x>, only the page's
  own two <script> elements, the hostile strings shown as text;
- the page loads nothing from the network (every resource is a data: URI);
- hovering a point of Fig. 2a (alignment scatter) shows a tooltip whose index and subset are the point's;
  hovering the ROC curve and the score histogram shows a tooltip;
- the point table sorts by score (both directions) and filters by subset and by text;
- a click on a point, and on a row of the most-memorized table, highlights it in every figure and the table;
- at 390 px the page does not scroll sideways, every figure fits the screen (scaled to it, none cropped), its 7 pt
  text stays ≥ 4.5 px (≥ 7 px at 1280), and the findings table reads row by row (no header row shown);
- the browser console stays empty (any message fails the check).

Screenshots at 1280 and 390 px (and one with the tooltip) go to --screenshots DIR when given.
Usage: scripts/checks/browser_check.py SSLMEM_BINARY [--screenshots DIR]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import h5py
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT_CLOSE = "</script><script>window.__pwned = 'method'</script>"
IMG_ONERROR = '"><img src=x onerror="window.__pwned = \'architecture\'">'
CLASS_NAME = "<img src=x onerror=window.__pwned='class'>Bag"
FILE_STEM = '"><img src=x onerror=alert(1)>'

failures = []
STARTED = time.time()


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + f"[{time.time() - STARTED:5.1f} s] " + what)
    if not condition:
        failures.append(what)


def hostile_inputs(folder):
    """Copies of the fixtures with hostile attributes, class names and file names; no Déjà Vu groups (faster)."""
    paths = {}
    for role in ("f", "g"):
        path = os.path.join(folder, f"{FILE_STEM}_{role}.h5")
        shutil.copy(os.path.join(ROOT, "fixtures", f"simclr_{role}.h5"), path)
        with h5py.File(path, "r+") as file:
            if "dejavu" in file:
                del file["dejavu"]
            if role == "f":
                file.attrs["method"] = SCRIPT_CLOSE
                file.attrs["architecture"] = IMG_ONERROR
                file.attrs["augmentations"] = "crop\u2028</script>\u2029<!--"
        paths[role] = path
    images = os.path.join(folder, "images.h5")
    shutil.copy(os.path.join(ROOT, "fixtures", "images.h5"), images)
    with h5py.File(images, "r+") as file:
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in file["label"].attrs["names"]]
        names[8] = CLASS_NAME
        names[0] = "T-shirt</script><script>window.__pwned='class0'</script>"
        file["label"].attrs["names"] = names
    paths["images"] = images
    return paths


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sslmem = os.path.abspath(sys.argv[1])
    shots = os.path.abspath(sys.argv[sys.argv.index("--screenshots") + 1]) if "--screenshots" in sys.argv else None
    started = time.time()
    work = tempfile.mkdtemp(prefix="sslmem-browser-")
    try:
        paths = hostile_inputs(work)
        out = os.path.join(work, "report")
        subprocess.run([sslmem, "report", "--f", paths["f"], "--g", paths["g"], "--images", paths["images"],
                        "--title", "Browser check <script>window.__pwned='title'</script>", "--out", out],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=dict(os.environ, SOURCE_DATE_EPOCH="1767225600"))
        report = os.path.join(out, "report.html")
        print(f"report written in {time.time() - started:.1f} s: {report}")
        browse(report, shots)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"browser check: {time.time() - started:.1f} s, {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


def browse(report, shots):
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=options)
    try:
        driver.get("file://" + report)
        WebDriverWait(driver, 20).until(
            lambda d: d.execute_script("return document.documentElement.getAttribute('data-interactive')") == "ready")
        run_checks(driver, shots)
        logs = driver.get_log("browser")
        check(not logs, "no console message" + ("" if not logs else f": {logs[:3]}"))
    finally:
        driver.quit()


def run_checks(driver, shots):
    js = driver.execute_script
    data = js("return JSON.parse(document.getElementById('sslmem-points').textContent)")
    points = data["points"]

    # Nothing from the input files executes or becomes markup.
    check(js("return typeof window.__pwned") == "undefined", "no hostile handler or script ran")
    check(js("return document.querySelectorAll('img[src=\"x\"], script').length") == 2,
          "no <img src=x> from the inputs; only the page's two <script> elements")
    body = js("return document.body.textContent")
    check(SCRIPT_CLOSE in body and IMG_ONERROR in body, "hostile attributes are shown as text")
    check(FILE_STEM in body, "a hostile file name is shown as text")
    check(CLASS_NAME in data["classes"], "a hostile class name reaches the script's data intact")
    resources = js("return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    check(all(r.startswith("data:") for r in resources), f"no network access ({len(resources)} resources, all data:)")

    # Hover a point of Fig. 2a: the top-scored point with no other mark within 3 pt.
    scatter = next(f for f in data["figures"] if f["id"] == "fig-alignment_scatter")
    marks = scatter["series"][0]["marks"]
    order = sorted(range(len(marks)), key=lambda k: -points[marks[k][0]][5])
    target = next(marks[k] for k in order
                  if all((m[1] - marks[k][1]) ** 2 + (m[2] - marks[k][2]) ** 2 > 9 for m in marks if m is not marks[k]))
    tip = hover(driver, scatter, target)
    p = points[target[0]]
    expected = f"index {p[0]} \u00b7 {data['subsets'][p[1]]} \u00b7 {data['classes'][p[2]]}"
    check(tip.startswith(expected), f"scatter tooltip names the point under the mouse ({expected!r} in {tip!r})")
    check("score" in tip and "align_f" in tip and "align_g" in tip, "scatter tooltip gives the scores")
    if shots:
        driver.save_screenshot(os.path.join(shots, "tooltip.png"))

    roc = next(f for f in data["figures"] if f["id"] == "fig-membership_roc")
    tip = hover(driver, roc, roc["series"][1]["marks"][len(roc["series"][1]["marks"]) // 2])
    check("on the ROC curve of" in tip and ("candidate" in tip or "extra" in tip), f"ROC tooltip ({tip!r})")
    histogram = next(f for f in data["figures"] if f["id"] == "fig-score_distribution")
    mark = histogram["series"][0]["marks"][0]
    tip = hover(driver, histogram, [mark[0], mark[1], histogram["frame"][1] + histogram["frame"][3] / 2])
    check("nearest point by score" in tip, f"histogram tooltip ({tip!r})")

    # Sort by score, both ways; filter by subset and by text.
    button = driver.find_element(By.XPATH, "//table[@id='pt-table']//button[text()='score']")
    js("arguments[0].scrollIntoView({block: 'center'})", button)
    for _ in range(2):
        button.click()
        direction = button.find_element(By.XPATH, "..").get_attribute("aria-sort")
        scores = [float(t.replace("\u2212", "-")) for t in
                  js("return Array.from(document.querySelectorAll('#pt-table tbody tr')).map("
                     "function (r) { return r.cells[5].textContent; })")]
        ordered = all(a >= b for a, b in zip(scores, scores[1:])) if direction == "descending" else \
            all(a <= b for a, b in zip(scores, scores[1:]))
        check(len(scores) > 10 and ordered, f"table sorted by score, {direction} ({len(scores)} rows)")
    extreme = max(p[5] for p in points) if direction == "descending" else min(p[5] for p in points)
    check(abs(scores[0] - extreme) < 1e-3, "the first row holds the extreme score")
    Select(driver.find_element(By.ID, "pt-subset")).select_by_visible_text("candidate")
    subsets = js("return Array.from(document.querySelectorAll('#pt-table tbody tr')).map("
                 "function (r) { return r.cells[1].textContent; })")
    check(subsets and set(subsets) == {"candidate"}, f"subset filter keeps only candidates ({len(subsets)} rows)")
    Select(driver.find_element(By.ID, "pt-subset")).select_by_visible_text("all")
    driver.find_element(By.ID, "pt-filter").send_keys("onerror")
    classes = js("return Array.from(document.querySelectorAll('#pt-table tbody tr')).map("
                 "function (r) { return r.cells[2].textContent; })")
    expected_rows = sum(1 for p in points if "onerror" in data["classes"][p[2]].lower())
    check(classes and all(c == CLASS_NAME for c in classes) and len(classes) == min(200, expected_rows),
          f"text filter matches the class names ({len(classes)} rows, {expected_rows} expected)")
    driver.find_element(By.ID, "pt-filter").clear()
    js("document.getElementById('pt-filter').dispatchEvent(new Event('input'))")

    # Click a point of Fig. 2a, then a row of the most-memorized table: highlighted everywhere.
    hover(driver, scatter, target, click=True)
    selected = driver.find_element(By.ID, "pt-selected").text
    check(f"index {p[0]} " in selected, f"a click on the scatter selects the point ({selected!r})")
    counts = js("var r = {}; document.querySelectorAll('.plot').forEach(function (plot) {"
                " r[plot.parentNode.id] = plot.querySelectorAll('.overlay .highlight').length; }); return r")
    audited = data["subsets"][p[1]] in ("candidate", "extra")
    want = {"fig-alignment_scatter": 1, "fig-score_distribution": 1, "fig-membership_roc": 2 if audited else 0,
            "fig-membership_roc_loglog": 2 if audited else 0, "fig-membership_signal": 1 if audited else 0}
    check(counts == want, f"highlighted in every figure ({counts})")
    row = driver.find_element(By.CSS_SELECTOR, "#top-table tbody tr:nth-child(3)")
    js("arguments[0].scrollIntoView({block: 'center'})", row)
    row.click()
    index = row.get_attribute("data-point")
    selected = driver.find_element(By.ID, "pt-selected").text
    check(f"index {index} " in selected and "sel" in row.get_attribute("class"),
          f"a click on a most-memorized row selects point {index}")

    # Widths: screenshots at 1280 and 390 px; no sideways scrolling of the page at 390 px.
    for width in (1280, 390):
        driver.set_window_size(width, 900)
        time.sleep(0.3)
        inner = js("return window.innerWidth")
        driver.set_window_size(width + (width - inner), 900)
        overflow = js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        wide = [] if overflow <= 0 else js(
            "var w = document.documentElement.clientWidth, r = [];"
            "document.querySelectorAll('main *').forEach(function (e) {"
            " if (e.getBoundingClientRect().right > w + 1 && !e.parentNode.closest('.scroll, figure, pre'))"
            " r.push(e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)); });"
            "return r.slice(0, 5)")
        check(overflow <= 0, f"at {width} px the page does not scroll sideways (overflow {overflow} px) {wide}")
        smallest = js("var s = document.querySelector('#fig-alignment_scatter svg');"
                      "return s.getBoundingClientRect().width / s.viewBox.baseVal.width * 7")
        least = 7 if width > 800 else 4.5
        check(smallest >= least, f"at {width} px a 7 pt figure label renders at {smallest:.1f} px")
        cropped = js("var w = document.documentElement.clientWidth, r = [];"
                     "document.querySelectorAll('figure svg').forEach(function (s) {"
                     " var b = s.getBoundingClientRect(); if (b.width > 0 && b.right > w + 1) r.push(s.closest('figure').id); });"
                     "return r")
        check(not cropped, f"at {width} px figures wider than the screen: {cropped[:3]}")
        if width < 800:
            header = js("var t = document.querySelector('#table-findings thead');"
                        "return t ? t.getBoundingClientRect().height : -1")
            check(0 <= header <= 1, f"at {width} px the findings table reflows to label: value rows ({header})")
        if shots:
            height = js("return document.documentElement.scrollHeight")
            driver.set_window_size(width + (width - inner), min(height + 200, 30000))
            time.sleep(0.3)
            driver.save_screenshot(os.path.join(shots, f"page_{width}.png"))


def hover(driver, figure, mark, click=False):
    """Moves the mouse onto a mark (figure points) of a figure; returns the tooltip's text."""
    svg = driver.find_element(By.CSS_SELECTOR, f"#{figure['id']} .plot > svg:first-child")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", svg)
    box = driver.execute_script("var b = arguments[0].getBoundingClientRect(); return [b.width, b.height]", svg)
    scale = box[0] / figure["width"]
    dx, dy = mark[1] * scale - box[0] / 2, mark[2] * scale - box[1] / 2
    actions = ActionChains(driver).move_to_element_with_offset(svg, round(dx), round(dy))
    (actions.click() if click else actions).perform()
    time.sleep(0.1)
    return driver.execute_script("var t = document.getElementById('pt-tip'); return t.hidden ? '' : t.textContent")


if __name__ == "__main__":
    main()
