"""Browser helpers the notebook tests share (not part of the package): Debian's chromium through Playwright,
a local HTTP server of a built site, a check of every page, and a notebook rendered the way the report is.

The notebooks import it with `sys.path.insert(0, "../tests")`; nothing in `contrastive_study/` does.
"""
import functools, http.server, shutil, threading
from pathlib import Path


def chromium(playwright):
    "Debian's chromium through Playwright (offline; no browser download)."
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None: raise RuntimeError("chromium is not installed: apt-get install chromium (as .ci/run does).")
    return playwright.chromium.launch(executable_path=exe, args=["--no-sandbox"])


def serve(site):
    "A local HTTP server of `site` on a free port, in a daemon thread (`server.server_port`; stop with `server.shutdown()`)."
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def check_site(site, pages, timeout_ms: int = 20000) -> dict:
    "Open every page of a built site in chromium over local HTTP: failed requests, console errors, blank plotly figures, rendered equations; `{page: report}`."
    from playwright.sync_api import sync_playwright
    server = serve(site)
    report = {}
    try:
        with sync_playwright() as p:
            browser = chromium(p)
            for name in pages:
                page, errors, failed = browser.new_page(), [], []
                page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
                page.on("requestfailed", lambda r, f=failed: f.append(r.url))
                # networkidle: the widget manager's and KaTeX's font requests have finished. A second networkidle wait after
                # it never returns on a page whose fonts loaded late (KaTeX), so the document's state is checked instead.
                resp = page.goto(f"http://127.0.0.1:{server.server_port}/{name}", wait_until="networkidle", timeout=timeout_ms)
                page.wait_for_function("document.readyState === 'complete'", timeout=timeout_ms)
                figs = page.evaluate("""() => [...document.querySelectorAll('.plotly-graph-div')].map(el => ({
                    traces: (el.data || []).length,
                    points: (el._fullData || []).reduce((n, t) => n + (t._length || 0), 0),   // decoded, also for typed arrays
                    drawn: el.querySelectorAll('.main-svg').length > 0 && el.getBoundingClientRect().height > 0}))""")
                widgets = page.locator(".jupyter-widgets, .widget-vbox, .cs-static").count()
                math = dict(rendered=page.locator(".katex").count(), errors=page.locator(".katex-error").count())
                nav = page.evaluate("() => [...document.querySelectorAll('nav.cs-nav a')].map(a => [a.getAttribute('href'), a.textContent])")
                report[name] = dict(status=resp.status if resp else None, errors=errors, failed=failed, figures=figs, widgets=widgets, math=math,
                                    nav=nav, plotly=page.evaluate("() => typeof window.Plotly"))
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return report


def render_notebook_html(cells_source: list, out_html, cwd=None) -> str:
    "Execute a notebook made of `cells_source` and render it to `out_html` with nbconvert (as the report is built)."
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in cells_source])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "python3", "language": "python"}
    NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(cwd or ".")}}).execute()
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    Path(out_html).write_text(body)
    return str(out_html)
