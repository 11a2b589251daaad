"""The benchmark: build synthetic catalogues of growing size and print what it costs.

A synthetic project of N pamphlets x L languages is made in a temporary folder from the
repository's own texts (so the pages and leaflets are realistic: Azerbaijani, Cyrillic and
Persian text, booklets and trifolds), then measured in one run:

- a full build (site and every PDF) with one worker and with all cores: time, peak memory;
- a rebuild with nothing changed, and one after editing one translation;
- the site alone; the time per PDF; the share of the PDF phase spent inside WeasyPrint;
- a baseline: the same PDFs rendered by a plain loop (one WeasyPrint call per document, in
  one process, no cache), and the ratio to ours;
- the page weight of a first visit to a pamphlet page (gzip), which must not grow with the
  number of languages.

It prints a table and writes JSON. This is a script that prints figures, not a test:

    python3 scripts/bench.py --sizes 5x5,20x5,50x10      (or: pamphlets bench ...)
"""

from __future__ import annotations

import compileall
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
# Languages for the synthetic catalogue: the site's five, then more whose texts are
# borrowed from those five (the fonts cover them; the point is the count, not the words).
# Only languages Material has interface strings for (a language it lacks, such as kk, stops
# the build: the site would need a theme language override for it).
EXTRA_LANGUAGES = [("tr", "Türkçe", "az"), ("uz", "Oʻzbekcha", "az"), ("be", "Беларуская", "ru"),
                   ("bg", "Български", "ru"), ("ur", "اردو", "fa")]  # fmt: skip
BASE_LANGUAGES = ["az", "ru", "en", "uk", "fa"]
# The repository's pamphlets, copied round-robin into the synthetic catalogue.
SOURCES = sorted(path.parent.name for path in (REPO / "pamphlets").glob("*/pamphlet.yml"))

# The targets of the speed work (issue 15), by catalogue size where they depend on it.
TARGETS = {
    "speedup_all_cores": (">=", 1.8, None),
    "noop_s": ("<", 1.0, None),
    "edit_share": ("<=", 0.05, (20, 5)),
    "edit_share ": ("<=", 0.03, (50, 10)),
    "serve_reload_s": ("<", 3.0, (20, 5)),
    "peak_memory_mib": ("<", 700, (50, 10)),
    "page_weight_kib": ("<=", 150, (5, 5)),
    "page_weight_kib ": ("<=", 250, (50, 10)),
    "outside_weasyprint_share": ("<=", 0.10, None),
}


def make_project(folder: Path, pamphlets: int, languages: int) -> Path:
    """A synthetic project with `pamphlets` x `languages` translations."""
    for name in ("docs", "overrides"):
        shutil.copytree(REPO / name, folder / name, ignore=shutil.ignore_patterns(
            "pamphlets", "print-runs", "downloads", "translation-status"))  # fmt: skip
    (folder / "pamphlets" / "ui").mkdir(parents=True)
    shutil.copy2(REPO / "pamphlets" / "facts.yml", folder / "pamphlets" / "facts.yml")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    codes = BASE_LANGUAGES[:languages]
    borrowed = {code: code for code in codes}
    extra_entries = ""
    for code, name, like in EXTRA_LANGUAGES[: max(0, languages - len(BASE_LANGUAGES))]:
        codes.append(code)
        borrowed[code] = like
        extra_entries += (
            f"        - locale: {code}\n          name: {name}\n          build: true\n"
        )
        shutil.copy2(REPO / "docs" / f"index.{like}.md", folder / "docs" / f"index.{code}.md")
        shutil.copy2(REPO / "docs" / f"about.{like}.md", folder / "docs" / f"about.{code}.md")
    config = config.replace("  - pamphlets:\n", extra_entries + "  - pamphlets:\n", 1)
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    for code in codes:
        shutil.copy2(REPO / "pamphlets/ui" / f"{borrowed[code]}.yml",
                     folder / "pamphlets/ui" / f"{code}.yml")  # fmt: skip
    for number in range(pamphlets):
        source = SOURCES[number % len(SOURCES)]
        slug = f"{source}-{number + 1:03d}"
        target = folder / "pamphlets" / slug
        target.mkdir()
        settings = yaml.safe_load((REPO / "pamphlets" / source / "pamphlet.yml").read_text())
        settings["order"] = number + 1
        (target / "pamphlet.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
        for code in codes:
            text = (REPO / "pamphlets" / source / f"{borrowed[code]}.md").read_text("utf-8")
            text = _relink(text, code)
            (target / f"{code}.md").write_text(text, encoding="utf-8")
    # Links go to the first copy of each source pamphlet: make sure it exists.
    for source in SOURCES:
        if not (folder / "pamphlets" / f"{source}-001").exists():
            for path in (folder / "pamphlets").glob("*/*.md"):
                path.write_text(re.sub(rf"\[([^\]]*)\]\(\.\./{source}-001/[a-z]+\.md[^)]*\)",
                                       r"\1", path.read_text("utf-8")), "utf-8")  # fmt: skip
    icc = REPO / "print/icc/FOGRA39L_coated.icc"
    (folder / "print/icc").mkdir(parents=True, exist_ok=True)
    shutil.copy2(icc, folder / "print/icc" / icc.name)
    return folder


def _relink(text: str, language: str) -> str:
    """Links to other pamphlets point at the first copy of each, in this language."""

    def replace(match: re.Match[str]) -> str:
        slug = match.group(1)
        return f"../{slug}-001/{language}.md" if slug in SOURCES else match.group(0)

    return re.sub(r"\.\./([a-z-]+)/[a-z]+\.md", replace, text)


@dataclass
class Run:
    seconds: float
    peak_mib: float
    output: str
    rendered: int = 0
    pdf_seconds: float = 0.0


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (from /proc)."""
    total = 0
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total


def run_build(project: Path, *args: str) -> Run:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "scripts"))
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "pamphlet_press", "build", *args],
                               cwd=project, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)  # fmt: skip
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"build failed in {project}:\n{output[-3000:]}")
    run = Run(seconds, peak / 1024, output)
    match = re.search(r"PDFs: (\d+) rendered, \d+ reused, \d+ failed \(([\d.]+) s\)", output)
    if match:
        run.rendered, run.pdf_seconds = int(match.group(1)), float(match.group(2))
    return run


def weasyprint_seconds(project: Path) -> float:
    return sum(json.loads(p.read_text()).get("weasyprint_seconds", 0.0)
               for p in (project / ".cache/pdf").glob("*.json"))  # fmt: skip


def baseline_seconds(project: Path) -> tuple[float, int]:
    """The plain loop: one WeasyPrint call per document, one process, no cache."""
    code = r"""
import sys, time
from weasyprint import HTML, CSS
from pamphlet_press.web.project import load_project
from pamphlet_press.content.catalog import load_catalog
from pamphlet_press.leaflets.leaflet import leaflets, leaflet_html, page_css, stylesheet_paths
from pamphlet_press.leaflets.variants import VARIANTS
settings = load_project("mkdocs.yml").settings
catalog = load_catalog(settings)
started = time.perf_counter(); count = 0
for leaflet in leaflets(catalog):
    fmt = settings.pdf.formats[leaflet.format]
    for variant in VARIANTS.values():
        css = [CSS(filename=str(p)) for p in stylesheet_paths(variant, fmt, None)]
        css.append(CSS(string=page_css(leaflet, variant, fmt)))
        HTML(string=leaflet_html(leaflet, variant), base_url=leaflet.base_dir + "/").write_pdf(
            "/dev/null", stylesheets=css)
        count += 1
print(time.perf_counter() - started, count)
"""
    env = dict(os.environ, PYTHONPATH=str(REPO / "scripts"))
    output = subprocess.run([sys.executable, "-c", code], cwd=project, env=env,
                            capture_output=True, text=True, check=True).stdout.split()  # fmt: skip
    return float(output[0]), int(output[1])


def page_weight_kib(project: Path) -> float | None:
    """Gzip size of what a first visit to a pamphlet page loads, in a real Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    import functools
    import http.server

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    site = project / "site"
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    slug = sorted(p.parent.name for p in (project / "pamphlets").glob("*/pamphlet.yml"))[0]
    url = f"http://127.0.0.1:{server.server_address[1]}/ru/pamphlets/{slug}/"
    loaded: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])  # fmt: skip
        page = browser.new_page()
        page.on("requestfinished", lambda request: loaded.append(request.url))
        page.goto(url)
        page.wait_for_load_state("networkidle")
        browser.close()
    server.shutdown()
    total = 0
    for resource in loaded:
        path = site / resource.split("/", 3)[3].split("?")[0]
        path = path / "index.html" if path.is_dir() else path
        total += len(gzip.compress(path.read_bytes(), 6))
    return total / 1024


def serve_reload_seconds(project: Path, edited: Path) -> float | None:
    """`mkdocs serve`: seconds from saving one translation until its page shows the change."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "scripts"))
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group, so its leaflet workers are stopped with it
    )  # fmt: skip
    slug = edited.parent.name
    url = f"http://127.0.0.1:{port}/ru/pamphlets/{slug}/"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 300
        while "<h1" not in page():
            if time.monotonic() > deadline:
                return None
            time.sleep(0.2)
        # The editor's case: the preview has settled (the first build's leaflets are linked,
        # no page says they are being made) before the save.
        # (A request made during a build waits for it, and may time out: "" is not settled.)
        while "<h1" not in (html := page()) or "being made in the background" in html:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.2)
        time.sleep(2)
        marker = f"Serve-{time.time_ns()}."
        saved = time.monotonic()
        edited.write_text(edited.read_text("utf-8").replace("\n\n", f"\n\n{marker} ", 1),
                          "utf-8")  # fmt: skip
        while marker not in page():
            if time.monotonic() - saved > 120:
                return None
            time.sleep(0.05)
        return time.monotonic() - saved
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a process and every process it started, and wait until none is left.

    Without the wait, a worker still writing a leaflet makes the removal of the
    temporary project fail with "Directory not empty".
    """
    group = process.pid
    for signal_number, patience in ((signal.SIGTERM, 30.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(group, signal_number)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            process.poll()
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
    process.wait(10)


def peer_seconds(project: Path) -> float | None:
    """mkdocs-to-pdf on the same project (one language, one PDF), when it is installed:
    an extra baseline, never a dependency of the project."""
    import importlib.util

    if importlib.util.find_spec("mkdocs_to_pdf") is None:
        return None
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    peer = project / "mkdocs-peer.yml"
    peer.write_text(config.replace("  - pamphlets:\n", "  - to-pdf\n  - pamphlets:\n", 1),
                    encoding="utf-8")  # fmt: skip
    started = time.perf_counter()
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(peer), "-d",
               str(project / "peer-site")]  # fmt: skip
    result = subprocess.run(command, cwd=project, capture_output=True)
    return time.perf_counter() - started if result.returncode == 0 else None


@dataclass
class SizeResult:
    pamphlets: int
    languages: int
    figures: dict = field(default_factory=dict)


def measure(pamphlets: int, languages: int, jobs: int, log=print) -> SizeResult:
    result = SizeResult(pamphlets, languages)
    figures = result.figures
    with tempfile.TemporaryDirectory(prefix=f"bench-{pamphlets}x{languages}-") as folder:
        project = make_project(Path(folder), pamphlets, languages)
        log(f"  {pamphlets}x{languages}: full build, 1 worker ...")
        one = run_build(project, "--jobs", "1", "--no-offline")
        pdfs = one.rendered
        inside = weasyprint_seconds(project)
        figures.update(
            pdfs=pdfs, full_1_worker_s=one.seconds, pdf_phase_1_worker_s=one.pdf_seconds,
            peak_memory_1_worker_mib=one.peak_mib,
            seconds_per_pdf=one.pdf_seconds / pdfs if pdfs else None,
            outside_weasyprint_share=1 - inside / one.pdf_seconds if one.pdf_seconds else None,
        )  # fmt: skip
        shutil.rmtree(project / ".cache")
        log(f"  {pamphlets}x{languages}: full build, {jobs} workers ...")
        many = run_build(project, "--jobs", str(jobs), "--no-offline")
        figures.update(full_all_cores_s=many.seconds, pdf_phase_all_cores_s=many.pdf_seconds,
                       peak_memory_mib=max(one.peak_mib, many.peak_mib),
                       speedup_all_cores=one.seconds / many.seconds)  # fmt: skip
        log(f"  {pamphlets}x{languages}: rebuild with nothing changed ...")
        noop = run_build(project, "--jobs", str(jobs), "--no-offline")
        figures.update(noop_s=noop.seconds, noop_rendered=noop.rendered,
                       noop_share=noop.seconds / many.seconds)  # fmt: skip
        edited = next(iter(sorted((project / "pamphlets").glob("*/ru.md"))))
        edited.write_text(edited.read_text("utf-8").replace("\n\n", "\n\nПравка. ", 1), "utf-8")
        log(f"  {pamphlets}x{languages}: rebuild after editing one translation ...")
        edit = run_build(project, "--jobs", str(jobs), "--no-offline")
        figures.update(edit_s=edit.seconds, edit_rendered=edit.rendered,
                       edit_share=edit.seconds / many.seconds)  # fmt: skip
        log(f"  {pamphlets}x{languages}: the site alone ...")
        site = run_build(project, "--no-pdf", "--no-offline")
        figures.update(site_only_s=site.seconds)
        log(f"  {pamphlets}x{languages}: baseline loop ...")
        baseline, count = baseline_seconds(project)
        figures.update(
            baseline_loop_s=baseline,
            baseline_pdfs=count,
            baseline_ratio=baseline / many.pdf_seconds if many.pdf_seconds else None,
        )
        run_build(project, "--jobs", str(jobs), "--no-offline")  # the site with its PDFs again
        figures.update(page_weight_kib=page_weight_kib(project))  # fmt: skip
        log(f"  {pamphlets}x{languages}: mkdocs serve, one save ...")
        figures.update(serve_reload_s=serve_reload_seconds(project, edited))
        peer = peer_seconds(project)
        if peer is not None:
            log(f"  {pamphlets}x{languages}: the peer, mkdocs-to-pdf ...")
            figures.update(peer_s=peer)
    return result


def verdicts(figures: dict, size: tuple[int, int]) -> dict[str, str]:
    """Each target met or missed, and by how much."""
    out = {}
    for name, (relation, target, for_size) in TARGETS.items():
        if for_size is not None and size != for_size:
            continue
        name = name.strip()
        value = figures.get(name)
        if value is None:
            continue
        ok = {">=": value >= target, "<=": value <= target, "<": value < target}[relation]
        out[name] = (
            "met"
            if ok
            else f"MISSED by {abs(value - target):.3g} ({value:.3g} vs {relation} {target})"
        )
    return out


def format_table(results: list[SizeResult]) -> str:
    rows = [
        ("PDFs", "pdfs", "{:.0f}"),
        ("full build, 1 worker (s)", "full_1_worker_s", "{:.1f}"),
        ("full build, all cores (s)", "full_all_cores_s", "{:.1f}"),
        ("speed-up, all cores", "speedup_all_cores", "{:.2f}x"),
        ("peak memory (MiB)", "peak_memory_mib", "{:.0f}"),
        ("no-op rebuild (s)", "noop_s", "{:.2f}"),
        ("  PDFs rendered", "noop_rendered", "{:.0f}"),
        ("  share of full build", "noop_share", "{:.1%}"),
        ("rebuild after 1 edit (s)", "edit_s", "{:.2f}"),
        ("  PDFs rendered", "edit_rendered", "{:.0f}"),
        ("  share of full build", "edit_share", "{:.1%}"),
        ("site alone (s)", "site_only_s", "{:.1f}"),
        ("time per PDF, 1 worker (s)", "seconds_per_pdf", "{:.3f}"),
        ("PDF phase outside WeasyPrint", "outside_weasyprint_share", "{:.1%}"),
        ("baseline loop (s)", "baseline_loop_s", "{:.1f}"),
        ("baseline / ours (all cores)", "baseline_ratio", "{:.2f}x"),
        ("page weight, first visit (KiB gz)", "page_weight_kib", "{:.0f}"),
        ("mkdocs serve, save to reload (s)", "serve_reload_s", "{:.2f}"),
        ("peer: mkdocs-to-pdf build (s)", "peer_s", "{:.1f}"),
    ]
    header = ["", *[f"{r.pamphlets}x{r.languages}" for r in results]]
    lines = [header]
    for label, key, fmt in rows:
        cells = [label]
        for result in results:
            value = result.figures.get(key)
            cells.append(fmt.format(value) if value is not None else "-")
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(line, widths, strict=True)))
                     for line in lines)  # fmt: skip
    text += "\n\nTargets:\n"
    for result in results:
        for name, verdict in verdicts(result.figures, (result.pamphlets, result.languages)).items():
            text += f"  {result.pamphlets}x{result.languages} {name}: {verdict}\n"
    return text


def main(argv: list[str] | None = None) -> int:
    """Measure the sizes given (`--sizes 5x5,20x5`), print the table, write the JSON."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5x5,20x5",
                        help="catalogue sizes, pamphlets x languages (up to 10), e.g. 50x10")
    parser.add_argument("--json", dest="json_path", default="bench.json",
                        help="where to write the figures")
    parser.add_argument("-j", "--jobs", type=int, default=None,
                        help="processes for the all-cores build (default: all cores)")
    arguments = parser.parse_args(argv)
    sizes = []
    for size in arguments.sizes.split(","):
        match = re.fullmatch(r"(\d+)x(\d+)", size.strip())
        if not match or not 1 <= int(match.group(2)) <= 10:
            parser.error(f"'{size}' is not NxL with L from 1 to 10")
        sizes.append((int(match.group(1)), int(match.group(2))))
    workers = arguments.jobs or os.cpu_count() or 1
    # The package's bytecode, as an installed package has it (scripts/setup.sh writes it):
    # where PYTHONDONTWRITEBYTECODE is set, every build would otherwise compile the package
    # again, 0.05 s that no installation pays.
    compileall.compile_dir(REPO / "scripts" / "pamphlet_press", quiet=1)
    results = []
    for pamphlets, languages in sizes:
        print(f"Measuring {pamphlets} pamphlets x {languages} languages ...", file=sys.stderr)
        results.append(
            measure(pamphlets, languages, workers, log=lambda m: print(m, file=sys.stderr))
        )
    print(format_table(results))
    from dataclasses import asdict

    data = [dict(asdict(r), targets=verdicts(r.figures, (r.pamphlets, r.languages)))
            for r in results]  # fmt: skip
    Path(arguments.json_path).write_text(
        json.dumps({"cores": workers, "sizes": data}, indent=1) + "\n"
    )
    print(f"Figures written to {arguments.json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
