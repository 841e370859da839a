"""recall.prompt: what a review card hides before the reveal (cloze, cue, full).

The highlights are real ones from the reference corpus (../shared/corpus), written out here.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from recall.prompt import (
    BLANK_MARKDOWN,
    Blank,
    Fallback,
    Prompt,
    PromptStyle,
    UnknownLanguage,
    blank_count,
    load_word_frequencies,
    prompt_for,
    prompt_markdown,
)
from recall.vocabulary import PromptStyle as SettingsPromptStyle

LANGUAGE = (  # biancamika/do-design, 52 words
    "the limits of our language are the limits of our world. A new language enables us to make the "
    "transition from where we are now, to where we need to get to. It lets us leap disciplinary "
    "boundaries. If we can’t describe it, then we struggle to make it."
)
NOTES = (  # dexter/smart-digital-notes-part-3, 21 words
    "Don’t take too many notes during live calls. Instead, participate in the discussion, ask "
    "questions, and only jot down the essentials."
)
SIGKILL = (  # jaspitta/topic-8-services-and-daemons, 18 words
    "sigkill signal is not passed to the application but immediately causes the operating system to delete the process"
)
SHIP = (  # biancamika/do-design, 27 words
    "If you want to build a ship, don’t give out orders and tell people exactly what to do. Teach them "
    "to yearn for the vast and endless sea."
)
HALLUCINATION = (  # laztaxon/the-case-for-ai-hallucination: a long bold sentence, then more
    "**AI image generators can produce anything with their giant dataset and their powerful algorithms, "
    "why should they produce photorealistic images by default?** Midjourney and DALL-E are more than just "
    "cameras that can take any photographs, they are machines producing a new visual material. A material "
    "that could be enriched by hallucinations."
)
PALETTE = (  # omnipedia/getting-started-with-reader: inline code
    'Try it now by opening the Command Palette (`Cmd/Ctrl + K`), starting to type "feedback", selecting '
    "the category that seems right for what you want to share, and saying something"
)
TWEET = (  # biancamika/learn-product-the-hard-w: handles and bare links
    "[4/12] Before diving we need to understand the role:\n1. @shreyas on https://t.co/tmt1kkZQR4\n"
    "2. @sachinrekhi on https://t.co/jiUzObcSCE\n3. @far33d on https://t.co/Won2MelZiX\n"
    "Also PM is NOT CEO. CEO role is a superset and besides prod also worries about funding, hiring, et al"
)
IMAGE = "![](https://pbs.twimg.com/media/GfAch_xWsAA0Ph-.jpg)"  # armitd/x-com
CHINESE = "开头难的公司会比开头简单的公司更容易成功"  # a Chinese highlight of the corpus
JAPANESE = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。"
THAI = "ภาษาไทยเขียนติดกันโดยไม่เว้นวรรคระหว่างคำ แต่เว้นวรรคระหว่างประโยค"

md = MarkdownIt("gfm-like", {"html": False})  # as the review card renders (tui/widgets/card.py)


def cloze(text: str, key: str = "rw178199250", number: int = 0) -> Prompt:
    return prompt_for(text, PromptStyle.CLOZE, key, number)


def blanked(text: str, prompt: Prompt) -> list[str]:
    return [text[b.start : b.end] for b in prompt.blanks]


def rendered_text(markdown: str) -> str:
    """The text markdown-it makes of ``markdown``, tags dropped and entities decoded."""
    html = md.render(markdown)
    plain = re.sub(r"<[^>]+>", "", html)
    return plain.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# --- how many blanks, and which words


@pytest.mark.parametrize(("words", "blanks"), [(8, 1), (23, 1), (24, 2), (35, 2), (36, 3), (500, 3)])
def test_one_blank_per_twelve_words_at_least_one_at_most_three(words: int, blanks: int) -> None:
    assert blank_count(words) == blanks


@pytest.mark.parametrize(("text", "count"), [(SIGKILL, 1), (NOTES, 1), (SHIP, 2), (LANGUAGE, 3)])
def test_real_highlights_get_blanks_by_length(text: str, count: int) -> None:
    for number in range(5):
        prompt = cloze(text, number=number)
        assert prompt.style is PromptStyle.CLOZE and prompt.fallback is None
        assert len(prompt.blanks) == count


def test_the_rarest_words_are_blanked_never_function_words() -> None:
    common = {"the", "of", "our", "are", "we", "to", "it", "is", "not", "but", "make", "where", "need", "get", "then"}
    for number in range(20):
        assert blanked(SIGKILL, cloze(SIGKILL, number=number))[0] in {"sigkill", "immediately", "delete"}
        words = blanked(LANGUAGE, cloze(LANGUAGE, number=number))
        assert not common & {w.lower() for w in words}
        # three of the five rarest (Zipf 3.75-4.46), never "limits" (said twice) nor "language" (5.1)
        assert set(words) <= {"disciplinary", "enables", "leap", "boundaries", "transition"}


def test_blanks_are_words_of_four_letters_or_more_when_there_are_some() -> None:
    for text in (NOTES, SHIP, LANGUAGE, SIGKILL):
        for number in range(10):
            assert all(len(w) >= 4 for w in blanked(text, cloze(text, number=number)))


def test_the_users_emphasis_is_blanked_first_without_its_markers() -> None:
    bold = SHIP.replace("orders", "**orders**")  # "orders" is commoner than "yearn" or "endless"
    marked = SHIP.replace("exactly what", "==exactly what==")
    underscored = SHIP.replace("people", "__people__")
    for number in range(10):
        assert "orders" in blanked(bold, cloze(bold, number=number))
        assert "exactly what" in blanked(marked, cloze(marked, number=number))  # one blank over both words
        assert "people" in blanked(underscored, cloze(underscored, number=number))
    prompt = cloze(marked)
    assert f"=={BLANK_MARKDOWN}==" in prompt_markdown(marked, prompt)


def test_a_long_emphasised_sentence_gives_its_words_first_pick() -> None:
    bold_end = HALLUCINATION.index("?**")
    for number in range(10):
        prompt = cloze(HALLUCINATION, number=number)
        assert len(prompt.blanks) == 3  # 51 words
        assert prompt.blanks[0].end <= bold_end  # the rarest of the bold words come first
        assert all(" " not in w for w in blanked(HALLUCINATION, prompt))  # single words, not the sentence


def test_a_word_said_again_elsewhere_is_not_blanked_while_others_can_be() -> None:
    text = (  # biancamika/do-design
        "Openness is a design tool offering new organisational, social and commercial capability. Openness is "
        "cultural – being open to new ideas. Openness is mutual – the sharing and redistribution of knowledge."
    )
    for number in range(10):
        assert "Openness" not in blanked(text, cloze(text, number=number))


# --- never inside URLs, code or markup


def test_no_blank_in_urls_handles_or_code() -> None:
    for text in (TWEET, PALETTE, HALLUCINATION):
        for number in range(10):
            for word in blanked(text, cloze(text, number=number)):
                assert "://" not in word and "@" not in word
                assert word not in {"Cmd", "Ctrl", "shreyas", "sachinrekhi", "tmt1kkZQR4", "jiUzObcSCE"}


def test_no_blank_in_a_markdown_links_url_or_an_image() -> None:
    text = (
        "Zettelkasten means [slip box](https://en.wikipedia.org/wiki/Zettelkasten_method 'Luhmann archive') in "
        "German ![Luhmann archive](https://example.org/luhmann.png) and Niklas Luhmann wrote ninety thousand cards."
    )
    url_and_image = (text.index("](https"), text.index("') in") + 2), (text.index("!["), text.index(".png)") + 5)
    for number in range(20):
        for blank in cloze(text, number=number).blanks:
            assert not any(lo <= blank.start < hi or lo < blank.end <= hi for lo, hi in url_and_image)


def test_no_blank_in_entities_escapes_or_tags() -> None:
    text = (
        "Serendipitous discoveries &amp; accidental insights \\*rarely\\* arrive <kbd>keyboard</kbd> on schedule today"
    )
    for number in range(20):
        for word in blanked(text, cloze(text, number=number)):
            assert word not in {"amp", "rarely", "kbd", "keyboard"}


def test_the_blank_is_literal_text_never_a_link_and_the_rest_is_untouched() -> None:
    text = (
        "Rich markup such as [bold] and [/] must show as typed; call transmogrify(value) whenever the "
        "\\*pipeline\\* needs a fresh copy of every record"
    )
    prompt = cloze(text)
    assert blanked(text, prompt) == ["transmogrify"]
    markdown = prompt_markdown(text, prompt)
    assert markdown == text.replace("transmogrify", BLANK_MARKDOWN)
    html = md.render(markdown)
    assert "<a" not in html
    shown = rendered_text(markdown)
    assert "[…](value)" in shown and "[bold]" in shown and "[/]" in shown and "*pipeline*" in shown


def test_a_cloze_inside_a_links_label_keeps_the_link() -> None:
    text = "Read the [Zettelkasten introduction](https://zettelkasten.de/introduction/) before writing a single permanent note"
    for number in range(10):
        prompt = cloze(text, number=number)
        html = md.render(prompt_markdown(text, prompt))
        assert 'href="https://zettelkasten.de/introduction/"' in html
        assert html.count("[…]") == len(prompt.blanks)


# --- determinism


def test_same_key_and_review_number_same_blanks() -> None:
    for text in (LANGUAGE, SHIP, HALLUCINATION):
        for number in range(5):
            assert cloze(text, "rw1", number) == cloze(text, "rw1", number)


def test_the_blanks_change_between_reviews_of_a_long_highlight() -> None:
    assert len({cloze(LANGUAGE, "rw1", number).blanks for number in range(10)}) > 1
    assert len({cloze(HALLUCINATION, "rw1", number).blanks for number in range(10)}) > 1


def test_blanks_are_the_same_in_another_process() -> None:
    """The choice hashes its inputs itself (no PYTHONHASHSEED, no random generator)."""
    script = (
        "import sys; from recall.prompt import prompt_for, PromptStyle; "
        "print([(b.start, b.end) for b in prompt_for(sys.argv[1], PromptStyle.CLOZE, 'rw7', 3).blanks])"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script, LANGUAGE],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert runs == {str([(b.start, b.end) for b in cloze(LANGUAGE, "rw7", 3).blanks]) + "\n"}


# --- fallbacks to a cue


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Is the world a work of art?", Fallback.TOO_SHORT),
        ("full-text search", Fallback.TOO_SHORT),
        (
            "```dataview\nTABLE file.ctime FROM #books\n```\nA query that lists every book note with its date",
            Fallback.CODE,
        ),
        ("    SELECT title FROM books WHERE rating > 4 ORDER BY rating DESC LIMIT 10", Fallback.CODE),
        ("`git rebase --onto main topic` then `git push --force-with-lease origin topic` and `git log`", Fallback.CODE),
        (IMAGE, Fallback.IMAGE),
        (f"Look at this {IMAGE}", Fallback.IMAGE),
        (CHINESE, Fallback.NO_WORD_SPACES),
        (JAPANESE, Fallback.NO_WORD_SPACES),
        (THAI, Fallback.NO_WORD_SPACES),
        ("**不要降低招聘门槛** 是 Paul Graham 说的", Fallback.NO_WORD_SPACES),
        ("It is what it is and that is all there is to it", Fallback.NO_KEY_WORDS),
    ],
)
def test_what_does_not_lend_itself_to_a_cloze_falls_back_to_a_cue(text: str, reason: Fallback) -> None:
    prompt = cloze(text)
    assert prompt == Prompt(style=PromptStyle.CUE, asked=PromptStyle.CLOZE, fallback=reason, cue_end=prompt.cue_end)
    assert prompt.cue_end is not None and 0 <= prompt.cue_end <= len(text) // 2
    assert reason.sentence


def test_text_with_an_image_and_enough_words_is_still_a_cloze() -> None:
    text = f"{NOTES}\n{IMAGE}"
    prompt = cloze(text)
    assert prompt.style is PromptStyle.CLOZE
    assert all(b.end <= len(NOTES) for b in prompt.blanks)


def test_a_highlight_quoting_a_few_chinese_words_is_a_cloze() -> None:
    text = "The Chinese proverb 学而时习之 opens the Analects, and Confucius meant practice as much as study itself."
    assert cloze(text).style is PromptStyle.CLOZE


# --- cue and full


def test_cue_shows_the_first_few_words_never_more_than_a_third() -> None:
    assert prompt_markdown(SIGKILL, prompt_for(SIGKILL, PromptStyle.CUE, "k", 0)) == "sigkill signal is …"
    assert prompt_markdown(LANGUAGE, prompt_for(LANGUAGE, PromptStyle.CUE, "k", 0)) == "the limits of our language …"
    short = "Is the world a work of art?"
    assert prompt_markdown(short, prompt_for(short, PromptStyle.CUE, "k", 0)) == "Is the …"
    assert prompt_markdown(IMAGE, cloze(IMAGE)) == "…"
    assert prompt_markdown(CHINESE, cloze(CHINESE)) == "开头难的公司 …"


def test_a_cue_closes_the_emphasis_it_cuts_and_unwraps_a_link_it_cuts() -> None:
    bold = "**Method 1 - Microwave Method** puts the rope toy in a wet bowl and heats it a minute"
    cue = prompt_markdown(bold, prompt_for(bold, PromptStyle.CUE, "k", 0))
    assert cue == "**Method 1 - Microwave** …"
    assert "<strong>Method 1 - Microwave</strong> …" in md.render(cue)
    link = "[The Zettelkasten Method explained for beginners](https://zettelkasten.de/overview/) is a long read"
    cue = prompt_markdown(link, prompt_for(link, PromptStyle.CUE, "k", 0))
    assert cue == "The Zettelkasten Method …" and "<a" not in md.render(cue)


def test_full_shows_everything_and_loads_no_word_list() -> None:
    prompt = prompt_for(LANGUAGE, PromptStyle.FULL, "k", 0)
    assert prompt == Prompt(style=PromptStyle.FULL, asked=PromptStyle.FULL)
    assert prompt_markdown(LANGUAGE, prompt) == LANGUAGE


def test_the_settings_style_is_the_same_enum() -> None:
    assert PromptStyle is SettingsPromptStyle
    assert prompt_for(NOTES, "cloze", "k", 0).style is PromptStyle.CLOZE  # type: ignore[arg-type]


def test_cue_full_and_fallbacks_never_import_wordfreq() -> None:
    script = (
        "import sys; from recall.prompt import prompt_for, prompt_markdown, PromptStyle\n"
        "for style in PromptStyle:\n"
        "    for text in ('Is the world a work of art?', '开头难的公司会比开头简单的公司更容易成功', '![](x.png)'):\n"
        "        prompt_markdown(text, prompt_for(text, style, 'k', 0))\n"
        "prompt_for(sys.argv[1], PromptStyle.CUE, 'k', 0)\n"
        "print('wordfreq' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", script, LANGUAGE], capture_output=True, text=True, check=True)
    assert run.stdout == "False\n"


def test_other_languages_use_their_own_word_list() -> None:
    text = (  # jaspitta/il-libro-dei-cinque-anelli
        "è necessario che il guerriero sappia costruire tutti i tipi di armi e comprendere tutte le possibilità del loro uso."
    )
    for number in range(10):
        words = blanked(text, prompt_for(text, PromptStyle.CLOZE, "k", number, language="it"))
        assert not {"necessario", "tutti", "tutte", "loro"} & set(words)
    with pytest.raises(UnknownLanguage):
        prompt_for(text, PromptStyle.CLOZE, "k", 0, language="xx")
    load_word_frequencies("it")


# --- properties

WORDS = ["the", "serendipity", "ephemeral", "rope", "daemons", "über", "naïve", "co-op", "don't", "学而", "ไทย", "१२३"]
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(
        [" ", " ", "\n", "\n\n", "**", "==", "__", "*", "_", "`", "```", "[", "]", "(", ")", "!", "<", ">"]
    ),
    st.sampled_from(
        ["\\", "&amp;", "#", "@", "https://", ".com", "www.", "    ", "- ", "> ", "|", "~~", "…", "'", "’"]
    ),
    st.text(max_size=4),
)
MARKDOWNISH = st.lists(PIECES, max_size=60).map("".join)


def is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN"


@settings(max_examples=300, deadline=None)
@given(text=MARKDOWNISH, key=st.text(max_size=8), number=st.integers(0, 10_000))
def test_blanks_are_in_range_sorted_apart_and_whole_words(text: str, key: str, number: int) -> None:
    prompt = prompt_for(text, PromptStyle.CLOZE, key, number)
    assert len(prompt.blanks) <= 3
    previous_end = 0
    for blank in prompt.blanks:
        assert isinstance(blank, Blank)
        assert previous_end <= blank.start < blank.end <= len(text)
        assert is_word_char(text[blank.start]) and is_word_char(text[blank.end - 1])
        assert blank.start == 0 or not is_word_char(text[blank.start - 1])
        assert blank.end == len(text) or not is_word_char(text[blank.end])
        previous_end = blank.end
    if prompt.style is PromptStyle.CUE:
        assert prompt.cue_end is not None and 0 <= prompt.cue_end <= len(text)


@settings(max_examples=300, deadline=None)
@given(text=MARKDOWNISH, number=st.integers(0, 50))
@example(text="thethethe__https://the the the the thethethe:0", number=0)  # linkify finds a URL after "__"
def test_every_blank_renders_as_literal_text_outside_links_urls_and_code(text: str, number: int) -> None:
    """markdown-it, as the card renders, is the oracle: each blank shows as ``[…]`` in text, never in a
    URL, code or a link it made up."""
    prompt = prompt_for(text, PromptStyle.CLOZE, "k", number)
    if "…" in text or prompt.style is not PromptStyle.CLOZE:
        return
    html = md.render(prompt_markdown(text, prompt))
    assert html.count("[…]") == len(prompt.blanks)
    assert not re.search(r'href="[^"]*…', html)
    assert not re.search(r"<code>[^<]*…", html)
    original = md.render(text)
    assert html.count("<a ") == original.count("<a ")
