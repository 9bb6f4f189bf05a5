"""Figures: values in base units, units, offsets, qualifiers, changes, measures, periods, and non-figures.

Every sentence here is invented for the project.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import pytest

from communique.extract.quantities import FigureLexicon, extract_figures
from communique.records import Figure, FigureKind


def figures(text: str) -> list[Figure]:
    """Figures of a one-sentence text."""
    return extract_figures(text, [(0, len(text))])


def only(text: str, span: str) -> Figure:
    """The one figure whose text is `span`, checked to sit at the offsets of `span` in `text`."""
    found = [f for f in figures(text) if f.text == span]
    assert len(found) == 1, [f.text for f in figures(text)]
    fig = found[0]
    assert (fig.start, fig.end) == (text.index(span), text.index(span) + len(span))
    assert text[fig.start:fig.end] == fig.text
    return fig


@pytest.mark.parametrize(("text", "span", "value", "unit"), [
    ("Exports to the bloc were worth $6.45 billion in the period.", "$6.45 billion", 6.45e9, "USD"),
    ("The bank lent US$3 million to the port authority.", "US$3 million", 3e6, "USD"),
    ("The railway needs USD 2bn before it can open.", "USD 2bn", 2e9, "USD"),
    ("Farm exports came to 20 million U.S. dollars.", "20 million U.S. dollars", 2e7, "USD"),
    ("The fund manages 1.2 trillion yuan for the province.", "1.2 trillion yuan", 1.2e12, "CNY"),
    ("Each county will receive RMB 500 million for roads.", "RMB 500 million", 5e8, "CNY"),
    ("The grant of ¥80 million went to the museum.", "¥80 million", 8e7, "CNY"),
    ("The ministry pledged €40m for the flood victims.", "€40m", 4e7, "EUR"),
    ("The port upgrade will cost 40 million euros.", "40 million euros", 4e7, "EUR"),
    ("The budget sets aside 300 billion roubles for the navy.", "300 billion roubles", 3e11, "RUB"),
    ("The plant cost 280 billion rubles to build.", "280 billion rubles", 2.8e11, "RUB"),
    ("The bridge was sold for £15 billion in the end.", "£15 billion", 1.5e10, "GBP"),
    ("The state set aside 20,000 crore rupees for housing.", "20,000 crore rupees", 2e11, "INR"),
    ("Tokyo offered 5 billion yen in credit lines.", "5 billion yen", 5e9, "JPY"),
    ("Minsk paid 90 million Belarusian rubles for the site.", "90 million Belarusian rubles", 9e7, "BYN"),
    ("The deal is worth A$2.5 billion over ten years.", "A$2.5 billion", 2.5e9, "AUD"),
    ("The startup raised $50M from investors and $5B later.", "$50M", 5e7, "USD"),
    ("Officials counted a million dollars in the vault.", "a million dollars", 1e6, "USD"),
    ("The charity gave two hundred thousand euros to the school.", "two hundred thousand euros", 2e5, "EUR"),
    ("The ticket costs $35 at the gate.", "$35", 35, "USD"),
])
def test_quantities_money_in_base_units(text, span, value, unit):
    fig = only(text, span)
    assert (fig.value, fig.unit, fig.kind) == (pytest.approx(value), unit, FigureKind.MONEY)


@pytest.mark.parametrize(("text", "span", "value", "unit", "change"), [
    ("Turnout was 83.6 percent in the capital.", "83.6 percent", 83.6, "percent", None),
    ("Turnout was 83.6% in the capital.", "83.6%", 83.6, "percent", None),
    ("Unemployment stood at 9.5 per cent in March.", "9.5 per cent", 9.5, "percent", None),
    ("Forty percent of the cargo was rice.", "Forty percent", 40, "percent", None),
    ("The rate rose 0.4 percentage points over the quarter.", "0.4 percentage points", 0.4, "percentage_point",
     "increase"),
    ("Rates were cut by 50 basis points.", "50 basis points", 0.5, "percentage_point", "decrease"),
    ("Shipments were up 12 percent on the same month.", "12 percent", 12, "percent", "increase"),
    ("Output grew by 7 percent despite the drought.", "7 percent", 7, "percent", "increase"),
    ("The survey showed a rise of 3 percent in prices.", "3 percent", 3, "percent", "increase"),
    ("Tourism recorded a year-on-year increase of 18 percent.", "18 percent", 18, "percent", "increase"),
    ("Steel sales fell 4.5% after the new tariffs.", "4.5%", 4.5, "percent", "decrease"),
    ("Imports were down 2 percent from the winter.", "2 percent", 2, "percent", "decrease"),
    ("The harvest saw a drop of 11 percent in the north.", "11 percent", 11, "percent", "decrease"),
    ("Freight volume was 6 percent higher than planned.", "6 percent", 6, "percent", "increase"),
    ("Freight volume moved 6 percent year-on-year.", "6 percent", 6, "percent", "change"),
    ("Inflation rose to 40 percent in the spring.", "40 percent", 40, "percent", None),
    ("The economy shrank by -2.5 percent in the war year.", "-2.5 percent", -2.5, "percent", "decrease"),
    ("Growth was minus 3 percent in the second half.", "minus 3 percent", -3, "percent", None),
    ("Wages rose 5pc in the capital.", "5pc", 5, "percent", "increase"),
])
def test_quantities_percentages_and_changes(text, span, value, unit, change):
    fig = only(text, span)
    assert (fig.value, fig.unit, fig.kind, fig.change) == (pytest.approx(value), unit, FigureKind.PERCENT, change)


@pytest.mark.parametrize(("text", "span", "value", "unit", "kind"), [
    ("The reserve spans 112.5 square kilometers of steppe.", "112.5 square kilometers", 112.5, "km2", FigureKind.AREA),
    ("The zone covers 1,200 sq km of sea.", "1,200 sq km", 1200, "km2", FigureKind.AREA),
    ("The lake is 300 km² in size.", "300 km²", 300, "km2", FigureKind.AREA),
    ("The farm lost 450 hectares to the river.", "450 hectares", 4.5, "km2", FigureKind.AREA),
    ("The park is 12 square miles wide.", "12 square miles", 31.07985732, "km2", FigureKind.AREA),
    ("The pipeline runs 1,200 km to the coast.", "1,200 km", 1200, "km", FigureKind.LENGTH),
    ("The border is 500 miles long.", "500 miles", 804.672, "km", FigureKind.LENGTH),
    ("They agreed on a 20-kilometre buffer zone.", "20-kilometre", 20, "km", FigureKind.LENGTH),
    ("The mill exported 5 million tonnes of flour.", "5 million tonnes", 5e6, "t", FigureKind.MASS),
    ("Customs seized 300 kg of gold.", "300 kg", 0.3, "t", FigureKind.MASS),
    ("The field yields 2 million barrels of oil.", "2 million barrels", 317974.589856, "m3", FigureKind.VOLUME),
])
def test_quantities_units_normalised(text, span, value, unit, kind):
    fig = only(text, span)
    assert (fig.value, fig.unit, fig.kind) == (pytest.approx(value), unit, kind)


@pytest.mark.parametrize(("text", "span", "value", "qualifier", "measure"), [
    ("Delegates from more than 150 countries attended.", "more than 150 countries", 150, "more_than", "countries"),
    ("At least 30 people were hurt in the crush.", "At least 30 people", 30, "at_least", "people"),
    ("The army sent about 2,000 troops to the border.", "about 2,000 troops", 2000, "about", "troops"),
    ("Nearly 400 police guarded the summit.", "Nearly 400 police", 400, "less_than", "police"),
    ("Some 50 vehicles crossed at dawn.", "Some 50 vehicles", 50, "about", "vehicles"),
    ("Around 1,000 delegates registered.", "Around 1,000 delegates", 1000, "about", "delegates"),
    ("Almost 60 nations signed the appeal.", "Almost 60 nations", 60, "less_than", "nations"),
    ("Fewer than 20 journalists were admitted.", "Fewer than 20 journalists", 20, "less_than", "journalists"),
    ("Up to 500 observers may join the mission.", "Up to 500 observers", 500, "at_most", "observers"),
    ("The talks produced 12 agreements or more.", "12 agreements", 12, "exact", "agreements"),
    ("He announced eight major steps to open the market.", "eight major steps", 8, "exact", "steps"),
    ("Four coast guard cutters entered the strait.", "Four coast guard cutters", 4, "exact", "cutters"),
    ("The minister expelled 23 Russian diplomats on Friday.", "23 Russian diplomats", 23, "exact", "diplomats"),
    ("The war left 255 British servicemen killed.", "255 British servicemen", 255, "exact", "servicemen"),
    ("A dozen envoys signed the letter.", "A dozen envoys", 12, "exact", "envoys"),
    ("Two dozen ships joined the drill.", "Two dozen ships", 24, "exact", "ships"),
    ("Half a million refugees crossed the river.", "Half a million refugees", 5e5, "exact", "refugees"),
    ("The city hosts 1.4 million residents.", "1.4 million residents", 1.4e6, "exact", "residents"),
    ("The court issued a 13-point ruling.", "13-point", 13, "exact", "point"),
    ("She led an 18-member delegation to Hanoi.", "18-member", 18, "exact", "member"),
    ("A 3,000-strong force guards the dam.", "3,000-strong force", 3000, "exact", "force"),
    ("The famine killed at least 80,000.", "at least 80,000", 80000, "at_least", None),
    ("Some 3,000 Americans caught in the fighting were evacuated.", "Some 3,000 Americans", 3000, "about",
     "Americans"),
    ("The bloc has 30-plus members.", "30-plus members", 30, "more_than", "members"),
    ("The region's 1.3bn people face higher prices.", "1.3bn people", 1.3e9, "exact", "people"),
    ("Some 40 ships sail under the flag.", "Some 40 ships", 40, "about", "ships"),
    ("The 27 EU member states agreed.", "27 EU member states", 27, "exact", "states"),
    ("Police detained two Canadians at the border.", "two Canadians", 2, "exact", "Canadians"),
    ("Officials said 12 U.S. sailors were rescued.", "12 U.S. sailors", 12, "exact", "sailors"),
    ("The three countries' foreign ministers met.", "three countries", 3, "exact", "countries"),
])
def test_quantities_counts_with_noun_and_qualifier(text, span, value, qualifier, measure):
    fig = only(text, span)
    assert (fig.value, fig.unit, fig.kind, fig.qualifier, fig.measure) == (
        value, "count", FigureKind.COUNT, qualifier, measure)


@pytest.mark.parametrize(("text", "span", "value", "measure"), [
    ("It was the 15th time he had come to the city.", "15th time", 15, "time"),
    ("This is her second visit to the region.", "second visit", 2, "visit"),
    ("He spoke at the third Belt and Road Forum in the capital.", "third Belt and Road Forum", 3, "Forum"),
    ("Leaders gathered for the 3rd Island Summit in May.", "3rd Island Summit", 3, "Summit"),
    ("The country is the fourth-biggest supplier of rice.", "fourth-biggest supplier", 4, "supplier"),
    ("It was the 21st and longest blockade of the port.", "21st and longest blockade", 21, "blockade"),
    ("The twenty-first round of talks opened today.", "twenty-first round", 21, "round"),
    ("The fourth U.S. carrier arrived in the gulf.", "fourth U.S. carrier", 4, "carrier"),
])
def test_quantities_ordinals(text, span, value, measure):
    fig = only(text, span)
    assert (fig.value, fig.unit, fig.kind, fig.measure) == (value, "ordinal", FigureKind.ORDINAL, measure)


@pytest.mark.parametrize(("text", "span", "measure", "period"), [
    ("In the first nine months of this year, the trade volume between the two neighbours amounted to "
     "$8.2 billion.", "$8.2 billion", "trade volume", "In the first nine months of this year"),
    ("Bilateral trade reached $12 billion last year.", "$12 billion", "bilateral trade", "last year"),
    ("Trade hit $4 billion in 2023, officials said.", "$4 billion", "trade", "in 2023"),
    ("Japan promised $5 million in aid to the islands.", "$5 million", "aid", None),
    ("The firm pledged $2 billion in investment over the next five years.", "$2 billion", "investment",
     "over the next five years"),
    ("The park has an area of 40 square kilometers.", "40 square kilometers", "area", None),
    ("The package includes $5 billion of interest-free loans.", "$5 billion", "loans", None),
    ("China announced $60 billion in loans and aid at the summit.", "$60 billion", "loans and aid", None),
    ("The state keeps 50% of revenues from the mines.", "50%", "revenues", None),
    ("GDP expanded 5.2 percent in the first half of 2024.", "5.2 percent", "GDP", "in the first half of 2024"),
    ("Inflation, which reached around 40 percent last year, is easing.", "around 40 percent", "inflation",
     "last year"),
    ("Grain exports rose 8 percent in the past decade.", "8 percent", "exports", "in the past decade"),
    ("The visit was his 15th since 1994.", "15th since", None, None),
])
def test_quantities_measure_and_period(text, span, measure, period):
    if measure is None:
        assert not any(f.text == span for f in figures(text))
        return
    fig = only(text, span)
    assert (fig.measure, fig.period) == (measure, period)


def test_quantities_appositive_change_takes_the_measure_of_the_figure_before_it():
    text = ("In the first half of the year, the trade volume amounted to $6.1 billion, a year-on-year "
            "increase of 21.4 percent.")
    money, pct = figures(text)
    assert (money.text, money.measure, money.change) == ("$6.1 billion", "trade volume", None)
    assert (pct.text, pct.value, pct.change, pct.measure) == ("21.4 percent", 21.4, "increase", "trade volume")
    assert money.period == pct.period == "In the first half of the year"


@pytest.mark.parametrize(("text", "span", "values", "qualifiers", "unit"), [
    ("Between 30 and 40 percent of voters stayed home.", "Between 30 and 40 percent", (30, 40),
     ("at_least", "at_most"), "percent"),
    ("Police said 30-40 people protested.", "30-40 people", (30, 40), ("at_least", "at_most"), "count"),
    ("The bridge will cost $3-4 billion.", "$3-4 billion", (3e9, 4e9), ("at_least", "at_most"), "USD"),
    ("The plan needs 2 to 3 million tonnes of cement.", "2 to 3 million tonnes", (2e6, 3e6),
     ("at_least", "at_most"), "t"),
    ("Support grew from 10 to 12 percent.", "10 to 12 percent", (10, 12), ("exact", "exact"), "percent"),
])
def test_quantities_ranges_give_two_figures_over_the_whole_range(text, span, values, qualifiers, unit):
    found = [f for f in figures(text) if f.text == span]
    assert [(f.value, f.qualifier, f.unit) for f in found] == [
        (pytest.approx(v), q, unit) for v, q in zip(values, qualifiers, strict=True)]
    assert {(f.start, f.end) for f in found} == {(text.index(span), text.index(span) + len(span))}


@pytest.mark.parametrize("text", [
    "The treaty was signed in 2023 and renewed since 1994.",
    "The 2015 agreement expired.",
    "They met on June 4 and again on Dec 4, 2023, and on 12 March.",
    "The session opened at 08:35 and closed at 3 p.m.",
    "The 45-year-old envoy, aged 52 by some accounts, retired.",
    "1. The parties shall meet.",
    "Call +1 202 555 0100 or 202-555-0199 for details.",
    "The draft is version 2.3.1 of the text.",
    "The G20 and the P5 discussed COVID-19 and the Su-35 under Resolution 2231 measures.",
    "Flight 370 and Boeing 747 jets were discussed.",
    "The 1990s saw 5G networks arrive.",
    "The two countries and the two sides agreed; our two peoples are friends.",
    "Dozens of activists and thousands of people marched.",
    "One of the envoys spoke to one another.",
    "A three-day visit, a 99-year lease, nine months of talks and 72 hours later.",
    "Two-thirds of voters agreed.",
    "It was the first visit, the third party and the second half of the year.",
    "The Group of Seven and the Five Eyes met during the Second World War anniversary.",
    "The court ruled by a 6-3 vote and the match ended in a 2-2 draw.",
    "The run was 500m long and the prize 5k.",
    "He cited nineteen ninety-seven as the turning point.",
    "Shares rose 3 to 20 on the news.",
    "It was a nine-month campaign in third countries.",
    "He said 30 were there.",
    "The index closed at 1678.5 on Friday.",
])
def test_quantities_not_figures(text):
    assert figures(text) == []


@pytest.mark.parametrize(("text", "span", "value"), [
    ("Exactly 1200 observers were accredited.", "Exactly 1200 observers", 1200),
    ("The 2,000 troops left.", "2,000 troops", 2000),
    ("The four countries signed.", "four countries", 4),
])
def test_quantities_numbers_that_look_like_years_or_references(text, span, value):
    assert only(text, span).value == value


def test_quantities_sentences_limit_where_figures_and_periods_are_found():
    text = "Trade reached $5 billion. Last year it was smaller. Exports fell 3 percent."
    first, third = (0, 25), (52, len(text))
    found = extract_figures(text, [first, third])
    assert [(f.text, f.period, f.change) for f in found] == [("$5 billion", None, None),
                                                              ("3 percent", None, "decrease")]
    assert extract_figures(text, [(26, 51)]) == []


def test_quantities_without_sentences_uses_the_project_splitter():
    text = "Trade reached $5 billion last year. In 2020, exports fell 3 percent."
    assert [(f.text, f.period) for f in extract_figures(text)] == [("$5 billion", "last year"),
                                                                   ("3 percent", "In 2020")]


def test_quantities_offsets_point_into_the_text():
    text = ("BEIJING, March 3 -- The two sides signed 14 agreements worth $9.3 billion on Tuesday.\n\n"
            "Trade between them grew 12.5 percent year-on-year to 1.1 trillion yuan in 2023, the "
            "ministry said, the third rise in a row. Nearly 3,000 companies now trade across "
            "the 1,300 km border, up from about 800 in 2015.")
    found = extract_figures(text)
    assert all(text[f.start:f.end] == f.text for f in found)
    assert [(f.text, f.value, f.unit) for f in found] == [
        ("14 agreements", 14, "count"), ("$9.3 billion", 9.3e9, "USD"), ("12.5 percent", 12.5, "percent"),
        ("1.1 trillion yuan", 1.1e12, "CNY"), ("third rise", 3, "ordinal"),
        ("Nearly 3,000 companies", 3000, "count"), ("1,300 km", 1300, "km"), ("about 800", 800, "count")]


def test_quantities_as_dict_is_plain_data():
    fig = only("Nearly 400 police guarded the summit.", "Nearly 400 police")
    assert fig.as_dict() == {"start": 0, "end": 17, "text": "Nearly 400 police", "value": 400.0, "unit": "count",
                             "kind": "count", "qualifier": "less_than", "change": None, "measure": "police",
                             "period": None}


def test_quantities_lexicon_is_extensible_from_a_file(tmp_path):
    shipped = resources.files("communique.data").joinpath("units.toml").read_text("utf-8")
    extra = '\n[[currency]]\ncode = "MNT"\nsymbols = ["₮"]\nnames = ["tugriks", "togrog"]\n'
    path = tmp_path / "units.toml"
    path.write_text(shipped + extra, encoding="utf-8")
    lexicon = FigureLexicon.load(path)
    text = "The city spent 4 billion tugriks and ₮2 million on parks."
    found = extract_figures(text, [(0, len(text))], lexicon=lexicon)
    assert [(f.text, f.value, f.unit) for f in found] == [("4 billion tugriks", 4e9, "MNT"),
                                                          ("₮2 million", 2e6, "MNT")]
    assert "MNT" not in {f.unit for f in figures(text)}  # the shipped lexicon does not know the tugrik


def test_quantities_lexicon_is_not_loaded_at_import():
    code = ("import communique.extract.quantities as q; print(q.default_lexicon.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "0"
