"""The options of the `pamphlets` MkDocs plugin, as set in mkdocs.yml:

plugins:
  - i18n: ...                 # the languages are listed there, once
  - pamphlets:
      fallback:               # what a reader sees when a pamphlet lacks their language
        fa: [en, az]
        uk: [ru, az]
      facts_max_age_days: 365
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PdfConfig(Config):
    """The leaflets (PDF) options, under `pdf:`."""

    enabled = c.Type(bool, default=True)
    """Render the leaflets during the build (turn off for a quick text-only preview)."""

    fonts = c.ListOfItems(c.Type(str), default=["Noto Sans", "Noto Naskh Arabic"])
    """Font families for the leaflets, in order; together they must cover every character
    of every text (Azerbaijani Latin, Cyrillic, Persian). Installed by scripts/setup.sh."""

    icc_profile = c.Type(str, default="overrides/print/icc/FOGRA39L_coated.icc")
    """The print shop's CMYK ICC profile (the PDF/X output intent), relative to mkdocs.yml.
    The default, FOGRA39 (ISO Coated v2), is made by scripts/setup.sh from the free FOGRA
    characterisation data; ask the print shop for theirs."""

    output_condition = c.Type(str, default="FOGRA39")
    """The output condition identifier written into the output intent."""

    crop_marks = c.Type(bool, default=True)
    """Draw crop marks in the bleed of the print PDF (some print shops forbid them)."""

    jobs = c.Type(int, default=0)
    """Processes that render PDFs at once; 0 means one per core."""


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

    pdf = c.SubConfig(PdfConfig)
    """The leaflets: fonts, the print shop's colour profile, crop marks."""
