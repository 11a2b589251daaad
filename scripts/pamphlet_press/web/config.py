"""The options of the `pamphlets` MkDocs plugin, as set in mkdocs.yml:

plugins:
  - i18n: ...                 # the languages are listed there, once
  - pamphlets:
      fallback:               # what a reader sees when a pamphlet lacks their language
        fa: [en, az]
        uk: [ru, az]
      facts_max_age_days: 365
      help_phone: ngo_phone     # the fact shown on every page as the help number
      content_licence: CC-BY-4.0  # the texts' and leaflets' licence (content/licences.py)
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class FormatConfig(Config):
    """A leaflet format of this project (see leaflets/formats.py), under `pdf.formats.<name>`."""

    description = c.Type(str, default="")
    """What it is, in a few words (for the people who choose it)."""

    trim = c.Optional(c.ListOfItems(c.Type((int, float))))
    """The trim size of a page, [width, height] in mm; or give `panels` and `height`."""

    panels = c.Optional(c.ListOfItems(c.Type((int, float))))
    """For a folded leaflet: the width of each panel in mm, in reading order."""

    height = c.Type((int, float), default=0)
    """With `panels`: the height of the panels in mm."""

    bleed = c.Type((int, float), default=3)
    """The bleed in mm."""

    page_counts = c.ListOfItems(c.Type(int), default=[4])
    """The page counts the binding takes (a booklet: 4, 8, 12, 16; a card: 2)."""

    imposition = c.Choice(("saddle-stitch", "roll-fold", "none"), default="none")
    """How the pages are put on press sheets."""

    margin = c.Type(str, default="14mm 12mm 16mm")
    """The margins of a text page, as CSS."""

    page_numbers = c.Type(bool, default=False)
    """A page number at the foot of text pages."""

    label = c.Type(str, default="")
    """How the downloads page names the format."""

    sheet = c.Optional(c.ListOfItems(c.Type((int, float))))
    """For a folded leaflet: the sheet it is printed on, [width, height] in mm."""

    body_size = c.ListOfItems(c.Type((int, float)), default=[10, 13])
    """The body text size in points, [smallest, largest]: the print leaflet is set in
    between, so that its pages are filled (a language may raise the smallest)."""

    def validate(self):
        failed, warnings = super().validate()
        if not failed:
            if bool(self.trim) == bool(self.panels):
                failed.append(
                    ("trim", "give either 'trim: [width, height]' or 'panels' and 'height'")
                )
            elif self.trim and len(self.trim) != 2:
                failed.append(("trim", "must be [width, height] in mm"))
            elif self.panels and not self.height:
                failed.append(("height", "a format with 'panels' needs 'height' in mm"))
            if not self.page_counts or min(self.page_counts) < 1:
                failed.append(("page_counts", "must list page counts of at least 1"))
            if len(self.body_size) != 2 or not 6 <= self.body_size[0] <= self.body_size[1]:
                failed.append(
                    ("body_size", "must be [smallest, largest] in points, like [10, 13]")
                )
        return failed, warnings


class PdfConfig(Config):
    """The leaflets (PDF) options, under `pdf:`."""

    enabled = c.Type(bool, default=True)
    """Render the leaflets during the build (turn off for a quick text-only preview)."""

    fonts = c.ListOfItems(c.Type(str), default=["Noto Sans", "Noto Naskh Arabic"])
    """Font families for the leaflets, in order; together they must cover every character
    of every text (Azerbaijani Latin, Cyrillic, Persian). Installed by scripts/setup.sh."""

    icc_profile = c.Type(str, default="print/icc/FOGRA39L_coated.icc")
    """The print shop's CMYK ICC profile (the PDF/X output intent), relative to mkdocs.yml.
    The default, FOGRA39 (ISO Coated v2), is made by scripts/setup.sh from the free FOGRA
    characterisation data; ask the print shop for theirs."""

    output_condition = c.Type(str, default="FOGRA39")
    """The output condition identifier written into the output intent."""

    crop_marks = c.Type(bool, default=True)
    """Draw crop and fold marks outside the bleed of the print PDFs and imposed sheets
    (some print shops forbid them)."""

    standard = c.Choice(("x-4", "x-1a"), default="x-4")
    """The PDF/X standard of the print files: x-4 (PDF 1.6), or x-1a (PDF/X-1a:2003, no
    transparency) for a shop whose workflow requires it."""

    max_ink_coverage = c.Type(int, default=300)
    """The most ink (total area coverage, %) preflight accepts in one colour: the shop's
    limit for its paper (300 for coated offset paper, 260-280 for uncoated)."""

    jobs = c.Type(int, default=0)
    """Processes that render PDFs at once; 0 means one per core."""

    templates_dir = c.Optional(c.Type(str))
    """A folder (relative to mkdocs.yml) of this project's own leaflet templates and
    stylesheets; a file there takes the place of the package's file of the same name
    (leaflet.html, leaflet.css, print.css, screen.css, formats/<name>.css). Keep it outside
    the theme's custom_dir, which is published."""

    formats = c.DictOfItems(c.SubConfig(FormatConfig), default={})
    """Leaflet formats of this project, by name, besides the built-in a5-booklet and
    a4-trifold (see leaflets/formats.py); each needs its stylesheet in templates_dir."""


class PamphletsConfig(Config):
    pamphlets_dir = c.Type(str, default="pamphlets")
    """The folder of the pamphlet sources, relative to mkdocs.yml."""

    generated_dir = c.Type(str, default="pamphlets")
    """The folder under docs_dir that receives the generated pamphlet pages. It belongs to
    the plugin (files in it that no pamphlet produces are removed): keep it git-ignored."""

    ledger_dir = c.Type(str, default="print-runs")
    """The folder under docs_dir that receives the print runs and reach page (generated,
    git-ignored, owned by the plugin like generated_dir)."""

    downloads_dir = c.Type(str, default="downloads")
    """The folder under docs_dir for the downloads page (generated, owned by the plugin)."""

    status_dir = c.Type(str, default="translation-status")
    """The folder under docs_dir for the translation status page (generated, owned)."""

    fallback = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})
    """Per language, the languages to show, in order, when a pamphlet lacks that language.
    After them come the default language and then every other language."""

    facts_max_age_days = c.Type(int, default=365)
    """`pamphlets check` lists facts whose verified_on date is older than this many days."""

    help_phone = c.Type(str, default="ngo_phone")
    """The fact (in pamphlets/facts.yml, `kind: phone`) of the free legal help number that
    the bar at the top of every page and the footer show."""

    content_licence = c.Optional(c.Type(str))
    """The licence of the texts and leaflets (not of the code), by its SPDX id: CC-BY-4.0,
    CC-BY-SA-4.0, CC-BY-NC-4.0 or CC-BY-NC-SA-4.0 (content/licences.py). The footer of every
    page and the imprint of every leaflet say what partners may do under it; left out, no
    licence is shown and `pamphlets check` warns."""

    pdf = c.SubConfig(PdfConfig)
    """The leaflets: fonts, the print shop's colour profile, crop marks."""
