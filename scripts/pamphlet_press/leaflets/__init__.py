"""From a Catalog to PDF leaflets.

formats.py (what a format is: trim, panels, page counts, imposition) and variants.py
(screen and print) -> leaflet.py (the leaflet's values and HTML, templates/) -> render.py
(WeasyPrint) -> impose.py (press sheets) -> preflight.py (as a print shop checks, reading
the PDF with pdf_content.py) ; pdfs.py runs it all in parallel, with a cache, and reports
the files in outputs.py's terms.
"""
