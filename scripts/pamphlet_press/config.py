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


class PamphletsConfig(Config):
    pamphlets_dir = c.Type(str, default="pamphlets")
    """The folder of the pamphlet sources, relative to mkdocs.yml."""

    generated_dir = c.Type(str, default="pamphlets")
    """The folder under docs_dir that receives the generated pamphlet pages. It belongs to
    the plugin (files in it that no pamphlet produces are removed): keep it git-ignored."""

    fallback = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})
    """Per language, the languages to show, in order, when a pamphlet lacks that language.
    After them come the default language and then every other language."""

    facts_max_age_days = c.Type(int, default=365)
    """`pamphlets check` lists facts whose verified_on date is older than this many days."""
