"""pamphlet_press: rights pamphlets for labour migrants, as a multilingual website and as
print-ready leaflets, from one set of Markdown sources.

The folders follow the flow of the data:

    content/    the sources, read and validated once: pamphlets and their translations,
                facts, interface strings, Markdown rules, translation status, the
                print-run ledger  ->  a Catalog
    leaflets/   a Catalog becomes PDFs: the format registry, the leaflet HTML and its
                templates, rendering (WeasyPrint), imposition, preflight, the parallel
                and cached PDF build  ->  outputs.py
    web/        a Catalog and the outputs become the website: the MkDocs project loader,
                the plugin, the generated pages and their templates, HTML rewrites, the
                offline copy

and, at the top, what ties them together: `settings.py` (the project's settings, read from
mkdocs.yml by web/project.py), `outputs.py` (the files a build made, and downloads.json),
`build.py` (the whole build, atomically), `cli.py` (the `pamphlets` command, a thin shell),
`problems.py` (errors that name the file and line) and `files.py` (locks, atomic writes).
"""
