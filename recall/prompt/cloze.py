"""Choosing the blanks of a cloze (rarest words by wordfreq, the user's emphasis first) and the end of a cue."""

from __future__ import annotations

import bisect
import hashlib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from recall.prompt.markdown import PLAIN, Emphasis, Layout, Token
from recall.prompt.shapes import (
    CUE_MAX_CHARACTERS,
    CUE_MAX_WORDS,
    CUE_WORDS,
    EMPHASIS_MAX_WORDS,
    MAX_BLANKS,
    POOL_EXTRA,
    RARITY_MARGIN,
    STOP_ZIPF,
    WORDS_PER_BLANK,
    Blank,
    UnknownLanguage,
)


def blank_count(words: int) -> int:
    """Blanks for a highlight of ``words`` words: one per 12, at least 1, at most 3."""
    return max(1, min(MAX_BLANKS, words // WORDS_PER_BLANK))



@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    first: int  # token indices, for keeping blanks apart
    last: int
    tier: int  # 0 the user's emphasis, 1 a rare word of 4+ letters said once, 2 a shorter or repeated one
    zipf: float


def choose_blanks(layout: Layout, key: str, review_number: int, language: str) -> tuple[Blank, ...]:
    zipf = zipf_lookup(language)
    text, tokens = layout.text, layout.tokens
    counts: dict[str, int] = {}
    for token in tokens:
        word = text[token.start : token.end].casefold()
        counts[word] = counts.get(word, 0) + 1
    starts = [t.start for t in tokens]

    def inside(emphasis: Emphasis) -> list[Token]:
        first = bisect.bisect_left(starts, emphasis.inner_start)
        last = bisect.bisect_left(starts, emphasis.inner_end)
        return [t for t in tokens[first:last] if t.end <= emphasis.inner_end]

    whole: list[tuple[Emphasis, list[Token]]] = []
    emphasised: set[int] = set()
    for emphasis in layout.emphasis:
        words = inside(emphasis)
        if not words:
            continue
        plain = PLAIN.fullmatch(text, emphasis.inner_start, emphasis.inner_end) is not None
        if plain and len(words) <= EMPHASIS_MAX_WORDS and 2 * len(words) < len(tokens):
            whole.append((emphasis, words))
        elif 2 * len(words) < len(tokens) or len(layout.emphasis) > 1:
            emphasised.update(t.index for t in words)
    candidates: list[_Candidate] = []
    in_whole: set[int] = set()
    for _emphasis, words in whole:
        if in_whole & {t.index for t in words}:  # nested (==**a**==): the outer one is enough
            continue
        in_whole.update(t.index for t in words)
        rarity = min(zipf(text[t.start : t.end]) for t in words)
        candidates.append(_Candidate(words[0].start, words[-1].end, words[0].index, words[-1].index, 0, rarity))
    for token in tokens:
        word = text[token.start : token.end]
        if token.index in in_whole or not any(unicodedata.category(ch)[0] == "L" for ch in word):
            continue
        if any(ch.isdigit() for ch in word):
            continue
        letters = sum(unicodedata.category(ch)[0] in "LM" for ch in word)
        rarity = zipf(word)
        if rarity >= STOP_ZIPF or letters < 2:
            continue
        if token.index in emphasised:
            tier = 0
        elif letters >= 4 and counts[word.casefold()] == 1:
            tier = 1
        else:
            tier = 2
        candidates.append(_Candidate(token.start, token.end, token.index, token.index, tier, rarity))
    chosen = _select(candidates, blank_count(len(tokens)), key, review_number)
    return tuple(Blank(c.start, c.end) for c in sorted(chosen, key=lambda c: c.start))


def _select(candidates: Sequence[_Candidate], wanted: int, key: str, review_number: int) -> list[_Candidate]:
    """Tier by tier, the rarest first; where a tier has more than needed, a rotation by the hash
    of (key, review number, offset) among the ones about as rare as the rarest needed."""
    chosen: list[_Candidate] = []
    for tier in (0, 1, 2):
        need = wanted - len(chosen)
        if need <= 0:
            break
        ranked = sorted((c for c in candidates if c.tier == tier), key=lambda c: (c.zipf, c.start))
        if len(ranked) <= need:
            chosen.extend(ranked)
            continue
        ceiling = ranked[need - 1].zipf + RARITY_MARGIN
        pool = [c for c in ranked if c.zipf <= ceiling][: need + POOL_EXTRA]
        order = sorted(pool, key=lambda c: _rotation(key, review_number, c.start))
        picked: list[_Candidate] = []
        for apart in (True, False):  # blanks side by side only when nothing else fits
            for candidate in order:
                if len(picked) == need:
                    break
                if candidate in picked:
                    continue
                if apart and any(_touching(candidate, other) for other in chosen + picked):
                    continue
                picked.append(candidate)
        chosen.extend(picked)
    return chosen[:wanted]


def _touching(a: _Candidate, b: _Candidate) -> bool:
    return a.first <= b.last + 1 and b.first <= a.last + 1


def _rotation(key: str, review_number: int, start: int) -> bytes:
    return hashlib.blake2b(f"{key}\x1f{review_number}\x1f{start}".encode(), digest_size=8).digest()


_LOOKUPS: dict[str, Callable[[str], float]] = {}


def zipf_lookup(language: str) -> Callable[[str], float]:
    """``word -> Zipf frequency`` in ``language``, memoised; imports wordfreq on first use."""
    known = _LOOKUPS.get(language)
    if known is not None:
        return known
    import wordfreq  # heavy (about 0.15 s), so only here

    try:
        wordfreq.get_frequency_dict(language, wordlist="best")
    except LookupError:
        raise UnknownLanguage(language) from None
    cache: dict[str, float] = {}

    def lookup(word: str) -> float:
        value = cache.get(word)
        if value is None:
            value = cache[word] = wordfreq.zipf_frequency(word, language, wordlist="best")
        return value

    _LOOKUPS[language] = lookup
    return lookup


# --- the cue --------------------------------------------------------------------------------


def cue_end(layout: Layout) -> int:
    """The offset after the cue's last word: 3-5 words (or up to 8 characters of text without word
    spaces), never more than a third of them nor past a code block; 0 when that is none."""
    units = layout.cue_units()
    if len(units) == len(layout.tokens):
        most = next((words for below, words in CUE_WORDS if len(units) < below), CUE_MAX_WORDS)
    else:
        most = CUE_MAX_CHARACTERS
    shown = min(most, len(units) // 3)
    if layout.first_block is not None:  # never past a code block: what follows it would show it whole
        shown = min(shown, sum(end <= layout.first_block for _, end in units))
    return units[shown - 1][1] if shown else 0
