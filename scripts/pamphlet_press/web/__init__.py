"""From a Catalog and the leaflet files to the website, through MkDocs.

project.py loads mkdocs.yml (once) and runs site builds; plugin.py is the thin MkDocs
plugin; pages.py, docs_pages.py, downloads_page.py, runs_page.py and status_page.py make
the pages from templates/; html.py, csp.py and search.py finish every page; publish.py puts
the leaflet files into the site; offline.py makes the offline copy; site_build.py builds
the languages in parallel and only the changed ones; preview.py and preview_languages.py
are the live preview's (`mkdocs serve`). Everything that knows MkDocs, Material or
mkdocs-static-i18n is in this folder.
"""
