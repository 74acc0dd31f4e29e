"""The collection's website in a real browser (`make test-site`).

    python tools/site_check.py build/site build/node_modules/axe-core/axe.min.js

Serves the built site (`make site`) with `python -m http.server` on a free loopback port and opens
every page in Chromium ($CHROMIUM, default Debian's /usr/bin/chromium) through Playwright. On every
page it checks:

- it loads with no console error, no failed request and no request to another host (the site must
  work offline: MathJax, fonts and scripts are served by the site itself);
- its equations are typeset: MathJax has finished and every math element holds a rendered formula,
  none an error;
- every image loads and carries alt text (an alt that is empty or is only the image's own file
  name, Sphinx's default, is no alt text); a notebook figure takes it from its cell's myst-nb
  metadata `mystnb: {image: {alt: ...}}`;
- every link to another page of the site resolves to a page that exists, and its #anchor to an
  element of that page;
- on a notebook page: the Binder launch button opens that notebook (the repository address from
  pyproject.toml) in JupyterLab, the download button serves the stored .ipynb byte for byte, and
  the cells JupyterLab shows folded (exercise solutions, folded Check cells) are folded here too,
  as many as the notebook has, their code not on screen;
- an accessibility audit with axe-core reports no serious or critical violation.

Every wait waits for the condition it checks (page load, MathJax's own promise, each image's
decode), never for a fixed time. Screenshots of the landing page and one notebook page go to
screenshots/site/ (git-ignored; CI keeps them as artefacts).

Every finding fails the page it is on. Ends with a line "N passed, M failed" (pages); exits non-zero
if any page failed.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from playwright.sync_api import sync_playwright

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots" / "site"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOAD_TIMEOUT_MS = 60_000
BINDER = "https://mybinder.org"
# The notebook page whose screenshot is kept (it has equations and figures).
SCREENSHOT_NOTEBOOK = "notebooks/04_wiener.html"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(site, port, log):
    """`python -m http.server` on loopback; returns once it answers (or raises)."""
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("http.server exited during start-up") from None
            time.sleep(0.2)  # polling the condition "the server answers", not a fixed wait
    server.terminate()
    raise RuntimeError("http.server did not answer within 30 s")


class Anchors(HTMLParser):
    """Every id (and old-style <a name>) in a page."""

    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" or (tag == "a" and key == "name"):
                self.ids.add(value)


def anchors_of(path, cache={}):  # noqa: B006 - a deliberate per-run cache
    if path not in cache:
        parser = Anchors()
        parser.feed(path.read_text(errors="replace"))
        cache[path] = parser.ids
    return cache[path]


def repository():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return pyproject["project"]["urls"]["Repository"].rstrip("/")


def folded_in_notebook(stem):
    """How many cells the stored notebook folds in JupyterLab (source or outputs hidden)."""
    notebook = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text())
    folded = 0
    for cell in notebook["cells"]:
        jupyter = cell["metadata"].get("jupyter", {})
        if cell["cell_type"] == "code" and (jupyter.get("source_hidden") or jupyter.get("outputs_hidden")):
            folded += 1
    return folded


def check_links(site, page_path, hrefs, failures, label):
    """Every link to a page of the site: the file exists, and the #anchor is an id in it."""
    base = f"/{page_path.relative_to(site).as_posix()}"
    for href in sorted(set(hrefs)):
        parts = urllib.parse.urlsplit(href)
        if parts.scheme in ("http", "https") and parts.hostname != "127.0.0.1":
            continue  # another site: not this check's business (the launch button is checked below)
        if parts.scheme not in ("http", "https", ""):
            continue  # mailto:, javascript:
        target_url = urllib.parse.urljoin(base, parts.path) if parts.path else base
        target = site / urllib.parse.unquote(target_url).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            failures.append(f"{label}: link {href!r} points at a missing page")
            continue
        if parts.fragment and target.suffix == ".html" and parts.fragment not in anchors_of(target):
            failures.append(f"{label}: link {href!r}: no #{parts.fragment} in {target.relative_to(site)}")


def check_math(page, failures, label):
    """Wait for MathJax to finish, then require a rendered formula in every math element."""
    count = page.locator(".math").count()
    if count == 0:
        return 0
    page.wait_for_function(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=LOAD_TIMEOUT_MS
    )
    page.evaluate("() => MathJax.startup.promise")  # resolves when the first typesetting pass is done
    state = page.evaluate(
        """() => {
            const maths = [...document.querySelectorAll('.math')];
            return {
                typeset: maths.filter(m => m.querySelector('mjx-container')).length,
                errors: document.querySelectorAll('mjx-merror').length,
            };
        }"""
    )
    if state["typeset"] != count:
        failures.append(f"{label}: {state['typeset']} of {count} equations typeset")
    if state["errors"]:
        failures.append(f"{label}: {state['errors']} equations show a TeX error")
    return count


def check_images(page, failures, label):
    """Wait until every image has loaded or failed and check its alt text; return the number of images."""
    page.wait_for_function("() => [...document.images].every(img => img.complete)", timeout=LOAD_TIMEOUT_MS)
    images = page.evaluate(
        """() => [...document.images].map(img => ({
            src: img.getAttribute('src'), alt: img.getAttribute('alt'),
            loaded: img.naturalWidth > 0, figure: !!img.closest('.cell_output'),
        }))"""
    )
    for image in images:
        if not image["loaded"]:
            failures.append(f"{label}: image {image['src']} did not load")
        alt = (image["alt"] or "").strip()
        src = image["src"] or ""
        if not alt or alt == src or alt == src.rsplit("/", 1)[-1]:
            where = " (a notebook figure: its cell needs `mystnb: {image: {alt: ...}}`)" if image["figure"] else ""
            failures.append(f"{label}: image {src} has no alt text{where}")
    return len(images)


def check_notebook_buttons(page, base, stem, failures, label):
    """The launch button opens this notebook on Binder in JupyterLab; the download is the .ipynb."""
    org_repo = urllib.parse.urlsplit(repository()).path.strip("/")
    expected = f"{BINDER}/v2/gh/{org_repo}/main?urlpath=lab/tree/notebooks/{stem}.ipynb"
    launch = [a.get_attribute("href") for a in page.locator(f'a[href^="{BINDER}/"]').all()]
    if launch != [expected]:
        failures.append(f"{label}: launch button(s) {launch}, expected [{expected!r}]")
    if not (ROOT / "notebooks" / f"{stem}.ipynb").is_file():
        failures.append(f"{label}: the launch button's notebooks/{stem}.ipynb is not in the repository")
    downloads = [a.get_attribute("href") for a in page.locator("a.btn").all()]
    notebook_links = [h for h in downloads if h and h.endswith(f"/{stem}.ipynb") and not h.startswith(BINDER)]
    if not notebook_links:
        failures.append(f"{label}: no download button for {stem}.ipynb (buttons: {downloads})")
        return
    url = urllib.parse.urljoin(page.url, notebook_links[0])
    if not url.startswith(base):
        failures.append(f"{label}: the download {url} is not served by the site")
        return
    with urllib.request.urlopen(url, timeout=10) as answer:
        served = answer.read()
    if served != (ROOT / "notebooks" / f"{stem}.ipynb").read_bytes():
        failures.append(f"{label}: the downloaded {stem}.ipynb differs from notebooks/{stem}.ipynb")


def check_folds(page, stem, failures, label):
    """As many folded cells as the notebook folds in JupyterLab; each closed, its code hidden."""
    expected = folded_in_notebook(stem)
    folds = page.locator("div.cell details.hide")
    if folds.count() != expected:
        failures.append(f"{label}: {folds.count()} folded cells on the page, {expected} in the notebook")
    for index in range(folds.count()):
        fold = folds.nth(index)
        if fold.get_attribute("open") is not None:
            failures.append(f"{label}: folded cell {index + 1} is open on arrival")
        code = fold.locator(".cell_input")
        if code.count() and code.first.is_visible():
            failures.append(f"{label}: folded cell {index + 1} shows its code on arrival")


def audit(page, axe_path, failures, label):
    """axe-core on the whole page; serious and critical violations fail."""
    page.add_script_tag(path=str(axe_path))
    page.wait_for_function("() => window.axe && typeof axe.run === 'function'")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
    for violation in serious:
        targets = [node["target"] for node in violation["nodes"][:3]]
        failures.append(
            f"{label}: axe {violation['impact']} {violation['id']} ({violation['help']}) "
            f"on {len(violation['nodes'])} element(s), e.g. {targets}"
        )
    return [f"{v['id']} ({v.get('impact')})" for v in result["violations"] if v not in serious]


def check_page(page, base, site, page_path, axe_path, failures):
    relative = page_path.relative_to(site).as_posix()
    label = relative
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url} {request.failure}"))
    page.on(
        "response",
        lambda response: response.status >= 400 and problems.append(f"HTTP {response.status}: {response.url}"),
    )
    response = page.goto(f"{base}/{relative}", wait_until="load", timeout=LOAD_TIMEOUT_MS)
    if response is None or response.status != 200:
        failures.append(f"{label}: answered {response.status if response else 'nothing'}")
        return {}
    maths = check_math(page, failures, label)
    images = check_images(page, failures, label)
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    check_links(site, page_path, hrefs, failures, label)
    stem = page_path.stem
    if relative.startswith("notebooks/"):
        check_notebook_buttons(page, base, stem, failures, label)
        check_folds(page, stem, failures, label)
    minor = audit(page, axe_path, failures, label)
    page.wait_for_load_state("networkidle")  # anything the page fetched late has answered (or failed)
    failures.extend(f"{label}: {problem}" for problem in problems)
    return {"maths": maths, "images": images, "minor": minor}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    site, axe_path = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    if not (site / "index.html").is_file():
        sys.exit(f"{site}/index.html is missing: run `make site` first")
    if not axe_path.is_file():
        sys.exit(f"{axe_path} is missing: `make test-site` installs axe-core from npm")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium, or point CHROMIUM at a Chromium/Chrome binary")
    pages = sorted(p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("_"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    failures, passed, failed = [], 0, 0
    started = time.time()
    with open(SCREENSHOTS / "http-server.log", "w") as log:
        server = serve(site, port, log)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    # Offline: a request to any other host is refused and reported.
                    offsite = []

                    def refuse(route):
                        host = urllib.parse.urlsplit(route.request.url).hostname
                        if host == "127.0.0.1" or route.request.url.startswith("data:"):
                            route.continue_()
                        else:
                            offsite.append(route.request.url)
                            route.abort()

                    context.route("**/*", refuse)
                    for page_path in pages:
                        label = page_path.relative_to(site).as_posix()
                        before, offsite_before = len(failures), len(offsite)
                        page, found = context.new_page(), {}
                        try:
                            found = check_page(page, base, site, page_path, axe_path, failures)
                            if label == "index.html":
                                page.screenshot(path=str(SCREENSHOTS / "landing.png"), full_page=True)
                            if label == SCREENSHOT_NOTEBOOK:
                                # its top (title, launch and download buttons), then its first equation
                                page.screenshot(path=str(SCREENSHOTS / f"{page_path.stem}.png"))
                                page.locator(".math").first.scroll_into_view_if_needed()
                                page.screenshot(path=str(SCREENSHOTS / f"{page_path.stem}.equation.png"))
                        except Exception as error:  # noqa: BLE001 - record, screenshot, go on
                            failures.append(f"{label}: {type(error).__name__}: {str(error).splitlines()[0]}")
                            page.screenshot(path=str(SCREENSHOTS / f"{page_path.stem}.error.png"))
                        finally:
                            page.close()
                        failures.extend(f"{label}: request to another host: {url}" for url in offsite[offsite_before:])
                        ok = len(failures) == before
                        passed, failed = passed + ok, failed + (not ok)
                        details = ""
                        if ok:
                            details = (
                                f"equations {found['maths']}, images {found['images']} (each with alt text), "
                                f"axe minor/moderate: {', '.join(found['minor']) or 'none'}"
                            )
                        print(
                            f"{label}: {'ok' if ok else 'FAILED'} ({details}; {time.time() - started:.0f} s so far)",
                            flush=True,
                        )
                finally:
                    browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    for failure in failures:
        print("FAILED:", failure)
    print(f"screenshots in {SCREENSHOTS.relative_to(ROOT)}/, whole run {time.time() - started:.0f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
