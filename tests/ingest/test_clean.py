"""Normalisation, paragraph splitting and boilerplate separation (communique.ingest.clean)."""

from __future__ import annotations

import datetime as dt

import pytest

from communique.ingest.clean import (
    PARAGRAPH_BREAK,
    BoilerplateRules,
    Cleaned,
    classify,
    clean_article,
    normalise,
    paragraphs,
)
from communique.records import Boilerplate
from communique.records import BoilerplateKind as K

BODY_1 = "The foreign ministers of Valdoria and Ostrava agreed on Tuesday to reopen two border crossings."
BODY_2 = "Both sides said freight traffic would resume within three weeks of the signing."
BODY_3 = "Kestria, which hosted the talks, offered to monitor the crossings for a year."


def reassembled(cleaned: Cleaned) -> list[str]:
    """Body paragraphs with the removed ones put back where they stood."""
    body = cleaned.body.split(PARAGRAPH_BREAK) if cleaned.body else []
    out: list[str] = []
    removed = list(cleaned.boilerplate)
    for index, para in enumerate(body + [None]):
        out.extend(b.text for b in removed if b.paragraph == index)
        if para is not None:
            out.append(para)
    return out


# --- normalise -------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("Cafe\u0301 diplomacy in Kestria", "Caf\u00e9 diplomacy in Kestria"),              # NFC
    ("Valdoria\u00a0and\u202fOstrava", "Valdoria and Ostrava"),                          # NBSP, narrow NBSP
    ("twelve\u2009thousand\u2002troops", "twelve thousand troops"),                      # thin, en space
    ("Val\u200bdo\u2060ria\ufeff signed", "Valdoria signed"),                            # zero-width
    ("trans\u00adatlantic envoy", "transatlantic envoy"),                                # soft hyphen
    ("First line\r\nSecond line\rThird line", "First line\nSecond line\nThird line"),    # CRLF, CR
    ("“Peace first,” the envoy’s aide said.", "“Peace first,” the envoy’s aide said."),  # quotes kept
    ("'Not yet', he said, \"not yet\".", "'Not yet', he said, \"not yet\"."),              # ASCII quotes kept
    ("The  talks\t \tresumed", "The talks resumed"),                                      # runs of spaces
    ("   Envoys met.   \n   Talks ended.   ", "Envoys met.\nTalks ended."),              # lines stripped
    ("Envoys\x07 met\x00 today", "Envoys met today"),                                     # control characters
    ("One.\u2029Two.", "One.\n\nTwo."),                                                   # paragraph separator
    ("One.\u2028Two.", "One.\nTwo."),                                                     # line separator
    ("Envoys met. \n\n Talks ended.  ", "Envoys met.\n\nTalks ended."),                    # ASCII, spaces at breaks
    ("Envoys\tmet.\r\n\x0bTalks\x1f ended.", "Envoys met.\nTalks ended."),               # ASCII, tab, CR, controls
    ("“Envoys”  met. \n Talks\u00a0 ended.", "“Envoys” met.\nTalks ended."),               # non-ASCII, same rules
    ("Envoys met.\x85\n\x85Talks  ended.\x85", "Envoys met.\nTalks ended."),              # NEL stripped at line ends
    ("Envoys\x85met.", "Envoys\x85met."),                                               # ... but kept inside a line
])
def test_clean_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_clean_normalise_keeps_typographic_quote_code_points() -> None:
    text = normalise("\u201cYes\u201d \u2018no\u2019 \u00abmaybe\u00bb")
    assert [hex(ord(c)) for c in text if not c.isalpha() and c != " "] == [
        "0x201c", "0x201d", "0x2018", "0x2019", "0xab", "0xbb"]


# --- paragraphs ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("The envoy\narrived late\non Monday.\n\nTalks began at noon.",
     ["The envoy arrived late on Monday.", "Talks began at noon."]),
    ("First paragraph.\n\n\n\nSecond paragraph.", ["First paragraph.", "Second paragraph."]),
    ("First paragraph.\n \nSecond paragraph.", ["First paragraph.", "Second paragraph."]),
    ("Line one.\nLine two.\nLine three.", ["Line one.", "Line two.", "Line three."]),
    ("One paragraph only.", ["One paragraph only."]),
    ("", []),
])
def test_clean_paragraphs(text: str, expected: list[str]) -> None:
    assert paragraphs(text) == expected


def test_clean_article_joins_hard_wraps_and_crlf(rules: BoilerplateRules) -> None:
    raw = "The ministers of Valdoria\r\nand Ostrava met.\r\n\r\nKestria hosted\r\nthe talks.\r\n"
    cleaned = clean_article(raw, rules)
    assert cleaned.body == "The ministers of Valdoria and Ostrava met.\n\nKestria hosted the talks."
    assert cleaned.boilerplate == ()


def test_clean_article_line_per_paragraph_without_blank_lines(rules: BoilerplateRules) -> None:
    cleaned = clean_article(f"{BODY_1}\n{BODY_2}\n{BODY_3}\n", rules)
    assert cleaned.body == f"{BODY_1}\n\n{BODY_2}\n\n{BODY_3}"


# --- boilerplate kinds -----------------------------------------------------------------------

@pytest.mark.parametrize("paragraph, kind", [
    ("Ministers pose after the signing ceremony in Kestria. [Photo/Nordpress]", K.CAPTION),
    ("Envoys leave the conference hall. [Photo by Mira Holt/Kestria Daily]", K.CAPTION),
    ("Delegates arrive for the second round in Lomar. MARTA OLSEN/NORDPRESS", K.CAPTION),
    ("Delegates arrive for the second round in Lomar. Marta Olsen/Nordpress".upper(), K.CAPTION),
    ("The Ostravan premier waves at reporters. (AP Photo/Lena Marsh)", K.CAPTION),
    ("Border guards watch the crossing near Tolvik. REUTERS/Tomas Berg", K.CAPTION),
    ("Protesters gather outside the embassy. (Photo: Kestria Daily)", K.CAPTION),
    ("Photo: Kestria Foreign Ministry", K.CAPTION),
    ("(Web editor: Li Wen, Zhao Min)", K.EDITOR),
    ("(Editor: Hana Osei)", K.EDITOR),
    ("Editor: Hana Osei", K.EDITOR),
    ("(Reporting by Kora Vance; Editing by Tomas Berg)", K.EDITOR),
    ("Contact the writer at kora.vance@nordpress.example", K.CONTACT),
    ("Contact the reporters: desk@kestria-daily.example", K.CONTACT),
    ("press.office@valdoria.example", K.CONTACT),
    ("© 2023 Nordpress. All rights reserved.", K.CONTACT),
    ("Copyright 2024 Kestria Daily", K.CONTACT),
    ("Copyright © Kestria Daily Media Group", K.CONTACT),
])
def test_clean_classify_boilerplate(paragraph: str, kind: K, rules: BoilerplateRules) -> None:
    assert classify(paragraph, rules) is kind


@pytest.mark.parametrize("paragraph", [
    "Officials from the EU/NATO summit said the talks would continue next spring.",
    "Leaders arrived for the EU/NATO meeting on border security in Tolvik.",
    "By the end of the year, both governments hope to sign the accord.",
    "The ministry said complaints sent to info@valdoria.example would be answered within a week.",
    "Contact between the two delegations was limited to written notes.",
    "The talks will resume in March.",
    "Copyright disputes dominated the second day of the trade negotiations.",
    "Copyright protections for Kestrian film makers were also discussed.",
    "Photographers were kept outside the hall as the envoys arrived.",
    "The editor of the state newspaper in Lomar was released on Friday.",
    "Editors at three Ostravan dailies signed a letter of protest.",
    "The source of the leak remains unknown.",
    "Talks between Valdoria and Ostrava, mediated by the UN/AU panel, ended on Friday.",
])
def test_clean_classify_body_sentences_are_not_boilerplate(paragraph: str, rules: BoilerplateRules) -> None:
    assert classify(paragraph, rules) is None


@pytest.mark.parametrize("position", [0, 1, 2, 3])
@pytest.mark.parametrize("paragraph", [
    "By the end of the year, both governments hope to sign the accord.",
    "Officials from the EU/NATO summit said the talks would continue next spring.",
    "Requests sent to press@ostrava.example went unanswered, officials said.",
    "More from the delegation is expected on Friday.",
    "Related talks on fishing quotas are planned for May.",
    "Copyright disputes dominated the second day of the trade negotiations.",
    "The talks will resume in March.",
])
def test_clean_article_keeps_ordinary_sentences_anywhere(paragraph: str, position: int,
                                                         rules: BoilerplateRules) -> None:
    paras = [BODY_1, BODY_2, BODY_3]
    paras.insert(position, paragraph)
    cleaned = clean_article("\n\n".join(paras), rules, detect_title=True)
    assert cleaned.body == "\n\n".join(paras)
    assert cleaned.boilerplate == ()
    assert (cleaned.header.title, cleaned.header.byline, cleaned.header.published) == (None, None, None)


# --- whole articles --------------------------------------------------------------------------

FULL = f"""Valdoria and Ostrava Agree to Reopen Border Crossings

By Kora Vance (Nordpress) 14:05, December 05, 2023

{BODY_1}

Ministers pose after the signing ceremony in Kestria. [Photo/Nordpress]

{BODY_2}

{BODY_3}

(Web editor: Li Wen, Zhao Min)

Contact the writer at kora.vance@nordpress.example

Related Stories

Ostrava recalls its ambassador

A very long paragraph after the related heading is still part of the trailing block, however many sentences it has.
"""


def test_clean_article_separates_header_captions_and_trailer(rules: BoilerplateRules) -> None:
    cleaned = clean_article(FULL, rules, detect_title=True)
    assert cleaned.body == f"{BODY_1}\n\n{BODY_2}\n\n{BODY_3}"
    assert cleaned.boilerplate == (
        Boilerplate(K.TITLE, "Valdoria and Ostrava Agree to Reopen Border Crossings", 0),
        Boilerplate(K.BYLINE, "By Kora Vance (Nordpress) 14:05, December 05, 2023", 0),
        Boilerplate(K.CAPTION, "Ministers pose after the signing ceremony in Kestria. [Photo/Nordpress]", 1),
        Boilerplate(K.EDITOR, "(Web editor: Li Wen, Zhao Min)", 3),
        Boilerplate(K.CONTACT, "Contact the writer at kora.vance@nordpress.example", 3),
        Boilerplate(K.RELATED, "Related Stories", 3),
        Boilerplate(K.RELATED, "Ostrava recalls its ambassador", 3),
        Boilerplate(K.RELATED, "A very long paragraph after the related heading is still part of the "
                               "trailing block, however many sentences it has.", 3),
    )
    header = cleaned.header
    assert (header.title, header.byline, header.source) == (
        "Valdoria and Ostrava Agree to Reopen Border Crossings", "Kora Vance", "Nordpress")
    assert (header.published, header.published_time) == (dt.date(2023, 12, 5), "14:05")


@pytest.mark.parametrize("raw", [
    FULL,
    f"{BODY_1}\n\n{BODY_2}",
    f"Envoys Meet\n\n{BODY_1}\nRelated:\nOne link\nAnother link",
    f"By Mira Holt\n\n{BODY_1}\n\nDelegates wave. REUTERS/Tomas Berg\n\n{BODY_2}\n\n(Editor: Hana Osei)",
])
def test_clean_article_body_is_kept_paragraphs_joined(raw: str, rules: BoilerplateRules) -> None:
    cleaned = clean_article(raw, rules, detect_title=True)
    kept = [p for p in paragraphs(normalise(raw)) if p not in {b.text for b in cleaned.boilerplate}]
    assert cleaned.body == "\n\n".join(kept)
    assert reassembled(cleaned) == paragraphs(normalise(raw))


@pytest.mark.parametrize("heading", ["Related Stories", "Related:", "Read more", "See also",
                                     "More from Nordpress", "You may also like"])
def test_clean_article_related_heading_drops_the_rest(heading: str, rules: BoilerplateRules) -> None:
    raw = f"{BODY_1}\n\n{BODY_2}\n\n{heading}\n\n{BODY_3}\n\nOstrava recalls its ambassador"
    cleaned = clean_article(raw, rules)
    assert cleaned.body == f"{BODY_1}\n\n{BODY_2}"
    assert [(b.kind, b.text, b.paragraph) for b in cleaned.boilerplate] == [
        (K.RELATED, heading, 2), (K.RELATED, BODY_3, 2), (K.RELATED, "Ostrava recalls its ambassador", 2)]


def test_clean_article_contact_line_removed(rules: BoilerplateRules) -> None:
    raw = f"{BODY_1}\n\nContact the writer at kora.vance@nordpress.example\n\n{BODY_2}"
    cleaned = clean_article(raw, rules)
    assert cleaned.body == f"{BODY_1}\n\n{BODY_2}"
    assert cleaned.boilerplate == (
        Boilerplate(K.CONTACT, "Contact the writer at kora.vance@nordpress.example", 1),)


# --- header lines ----------------------------------------------------------------------------

@pytest.mark.parametrize("line, byline, source, published, time", [
    ("By Kora Vance (Nordpress) 14:05, December 05, 2023", "Kora Vance", "Nordpress", dt.date(2023, 12, 5), "14:05"),
    ("By Kora Vance (Nordpress) 09:40, March 1, 2024", "Kora Vance", "Nordpress", dt.date(2024, 3, 1), "09:40"),
    ("By Kora Vance (Nordpress) Dec. 5, 2023", "Kora Vance", "Nordpress", dt.date(2023, 12, 5), None),
    ("By Kora Vance (Nordpress)", "Kora Vance", "Nordpress", None, None),
    ("By Tomas Berg | Kestria Daily | Updated: 2024-03-01 09:15", "Tomas Berg", "Kestria Daily",
     dt.date(2024, 3, 1), "09:15"),
    ("By Mira Holt and Tomas Berg", "Mira Holt and Tomas Berg", None, None, None),
    ("Published: 5 December 2023", None, None, dt.date(2023, 12, 5), None),
    ("Posted on March 2, 2024 at 10:45 GMT", None, None, dt.date(2024, 3, 2), "10:45"),
])
def test_clean_article_byline_parsed_and_removed(line: str, byline: str | None, source: str | None,
                                                 published: dt.date | None, time: str | None,
                                                 rules: BoilerplateRules) -> None:
    cleaned = clean_article(f"{line}\n\n{BODY_1}\n\n{BODY_2}", rules, detect_title=True)
    assert cleaned.body == f"{BODY_1}\n\n{BODY_2}"
    assert cleaned.boilerplate == (Boilerplate(K.BYLINE, line, 0),)
    header = cleaned.header
    assert (header.title, header.byline, header.source, header.published, header.published_time) == (
        None, byline, source, published, time)


def test_clean_article_byline_only_near_the_top(rules: BoilerplateRules) -> None:
    late = "By Kora Vance (Nordpress) 14:05, December 05, 2023"
    raw = "\n\n".join([BODY_1, BODY_2, BODY_3, "Fourth paragraph of the story.", late])
    cleaned = clean_article(raw, rules)
    assert cleaned.body == raw
    assert cleaned.header.byline is None


def test_clean_article_first_byline_wins(rules: BoilerplateRules) -> None:
    raw = "\n\n".join(["By Kora Vance (Nordpress) 14:05, December 05, 2023",
                       "By Tomas Berg (Kestria Daily) 08:00, January 9, 2024", BODY_1])
    cleaned = clean_article(raw, rules)
    assert (cleaned.header.byline, cleaned.header.published) == ("Kora Vance", dt.date(2023, 12, 5))
    assert cleaned.body == BODY_1
    assert [b.kind for b in cleaned.boilerplate] == [K.BYLINE, K.BYLINE]


@pytest.mark.parametrize("first, is_title", [
    ("Valdoria and Ostrava Agree to Reopen Border Crossings", True),
    ("Can the Lenne River Accord Survive a Dry Summer?", True),
    ("Minister Calls Water Deal ‘Historic’", True),
    ("The ministers met in Kestria on Tuesday.", False),
    ("The minister said: “We will return.”", False),
    ("Asked about the talks, the envoy replied, “Not yet,”", False),
    (" ".join(["word"] * 31), False),
])
def test_clean_article_headline_first_line_is_title(first: str, is_title: bool,
                                                    rules: BoilerplateRules) -> None:
    cleaned = clean_article(f"{first}\n\n{BODY_1}", rules, detect_title=True)
    if is_title:
        assert cleaned.header.title == first
        assert cleaned.body == BODY_1
        assert cleaned.boilerplate == (Boilerplate(K.TITLE, first, 0),)
    else:
        assert cleaned.header.title is None
        assert cleaned.body == f"{first}\n\n{BODY_1}"


def test_clean_article_byline_first_line_is_not_a_title(rules: BoilerplateRules) -> None:
    line = "By Kora Vance (Nordpress) 14:05, December 05, 2023"
    cleaned = clean_article(f"{line}\n\n{BODY_1}", rules, detect_title=True)
    assert cleaned.header.title is None
    assert (cleaned.header.byline, cleaned.header.published) == ("Kora Vance", dt.date(2023, 12, 5))
    assert cleaned.boilerplate == (Boilerplate(K.BYLINE, line, 0),)


def test_clean_article_title_needs_detection_or_a_known_title(rules: BoilerplateRules) -> None:
    raw = f"Envoys Meet in Kestria\n\n{BODY_1}"
    assert clean_article(raw, rules).body == raw
    assert clean_article("Envoys Meet in Kestria", rules, detect_title=True).body == "Envoys Meet in Kestria"


@pytest.mark.parametrize("known, removed", [
    (("Envoys Meet in Kestria",), True),
    (("  envoys meet in KESTRIA ",), True),
    (("Lenne Talks Resume", "Envoys Meet in Kestria"), True),  # a sidecar title first, the page's second
    (("Envoys Meet in Lomar",), False),
    ((), False),
])
def test_clean_article_known_title_removed_from_body(known: tuple[str, ...], removed: bool,
                                                    rules: BoilerplateRules) -> None:
    raw = f"Envoys Meet in Kestria\n\n{BODY_1}"
    cleaned = clean_article(raw, rules, known_titles=known)
    assert cleaned.body == (BODY_1 if removed else raw)
    assert cleaned.boilerplate == ((Boilerplate(K.TITLE, "Envoys Meet in Kestria", 0),) if removed else ())


def test_clean_article_everything_boilerplate_leaves_empty_body(rules: BoilerplateRules) -> None:
    cleaned = clean_article("(Editor: Hana Osei)\n\nRelated Stories\n\nOstrava recalls its ambassador", rules)
    assert cleaned.body == ""
    assert [b.kind for b in cleaned.boilerplate] == [K.EDITOR, K.RELATED, K.RELATED]
