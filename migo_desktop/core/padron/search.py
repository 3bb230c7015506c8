"""Name search: the person's text → an FTS5 query, and the ranking of the candidates it finds.

Words in any order, case- and accent-insensitive (``unicode61 remove_diacritics 2``: «nuñez» finds «NÚÑEZ»),
each word a prefix («corp gtm» finds «CORPORACION GTM DEL PERU») so results come while typing.

FTS5's own prefix queries (``"corp"*``) build the whole list of matching rows in memory before the AND
(20 ms per word on 1 M names, ~0.4 s on the full padrón). Instead each word is expanded here, through the
``palabra`` table (every indexed word with its row count), into the ``EXPANSIONS`` most frequent words it
starts, OR-ed together: FTS5 walks those lists lazily and stops at the LIMIT. A rare word sharing a short
prefix with frequent ones appears once the person types a letter or two more.

The FTS index keeps no per-row sizes (see :mod:`.schema`), so bm25 is not available; candidates are ranked
here instead, which also suits names better than bm25: whole-word matches before prefix matches, names that
start with the first word, then names with fewer other words, then shorter ones. At most
``CANDIDATES_PER_KIND`` candidates are taken from natural persons (RUC 10…) and as many from the rest, so a
common word («GARCIA») cannot crowd companies out; ``truncated`` tells the caller to ask for more words.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CANDIDATES_PER_KIND", "EXPANSIONS", "fold", "fts_query", "rank_key", "words"]

CANDIDATES_PER_KIND = 1000
EXPANSIONS = 30
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents (Ñ → N too), as the FTS tokenizer folds."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def fts_query(expanded: list[list[str]]) -> str | None:
    """[['corporacion', 'corp'], ['gtm']] -> '("corporacion" OR "corp") AND ("gtm")'; None when a word
    starts no indexed word (nothing can match). The words come from the index, so they hold only letters
    and digits (no quotes to escape)."""
    if not expanded or not all(expanded):
        return None
    return " AND ".join("(" + " OR ".join(f'"{term}"' for term in terms) + ")" for terms in expanded)


def rank_key(query_words: list[str], name: str, ruc: str) -> tuple[int, int, int, int, str]:
    """Sort key (smaller first) of one candidate name for the query's words."""
    name_words = words(name)
    exact = sum(1 for w in query_words if w in name_words)
    starts = 0 if name_words and query_words and name_words[0].startswith(query_words[0]) else 1
    others = max(0, len(name_words) - len(query_words))
    return (-exact, starts, others, len(name), ruc)
