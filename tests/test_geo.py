"""Toponyms: recognition, resolution with context, and the rules of issue 4 on sentences written for the tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

from eventdesk import geo, nlp
from eventdesk.data.geo import build_data
from eventdesk.model import Analysis, Article, Dateline, Place

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "geoparsing"


@pytest.fixture(scope="module")
def model():
    return nlp.load()


@pytest.fixture(scope="module")
def gaz() -> geo.Gazetteer:
    return geo.Gazetteer.load()


def places(model, gaz, text: str, **kw) -> list[Place]:
    found = geo.find(model(text), gaz, **kw)
    for p in found:
        assert text[p.start : p.end] == p.text  # offsets are characters of the text
    return found


def one(model, gaz, text: str, **kw) -> tuple[str, str, str | None, int | None]:
    found = places(model, gaz, text, **kw)
    assert len(found) == 1, found
    p = found[0]
    return p.text, p.name, p.country, p.geonameid


# --- gazetteer -------------------------------------------------------------------------------------------


def test_gazetteer_is_built_once(gaz):
    assert geo.Gazetteer.load() is gaz


def test_candidates_of_an_ambiguous_name_most_populous_first(gaz):
    paris = gaz.candidates("Paris")
    assert paris[0].geonameid == 2988507 and paris[0].country == "FRA"
    assert any(e.geonameid == 4717560 and e.country == "USA" and e.admin1 == "TX" for e in paris)


def test_country_entry_has_country_geonameid_and_centroid_point(gaz):
    (syria,) = gaz.candidates("Syria")
    assert (syria.feature, syria.country, syria.geonameid) == ("country", "SYR", 163843)
    assert (syria.lat, syria.lon) == (35.0, 38.0)  # approximate centroid (countryinfo), not Damascus


def test_alternate_and_informal_names(gaz):
    assert gaz.candidates("Kiev")[0].geonameid == 703448 or any(e.geonameid == 703448 for e in gaz.candidates("Kiev"))
    assert [e.country for e in gaz.candidates("U.S.")] == ["USA"]
    assert [e.country for e in gaz.candidates("Britain")] == ["GBR"]
    assert gaz.candidates("São Paulo")[0].country == "BRA"
    assert gaz.candidates("Sao Paulo")[0].country == "BRA"


def test_us_state_and_admin_area(gaz):
    texas = gaz.candidates("Texas")[0]  # before two Mexican villages of that name
    assert (texas.feature, texas.geonameid, texas.admin1) == ("admin1", 4736286, "TX")
    assert gaz.candidates("Rapides Parish")[0].feature == "admin2"


def test_small_places_are_in_the_gazetteer(gaz):
    # Niota, Tennessee (718 inhabitants): GeoNames places down to 500 inhabitants (cities500) are known.
    assert [(e.country, e.admin1, e.geonameid) for e in gaz.candidates("Niota")] == [("USA", "TN", 4645658)]


def test_prebuilt_city_keys_are_the_normalised_names():
    # cities.tsv.gz stores each name's index key; a change to normalise() needs the file rebuilt (build_data.py).
    import gzip
    from importlib import resources

    raw = gzip.decompress(resources.files("eventdesk.data.geo").joinpath("cities.tsv.gz").read_bytes())
    rows = [line.split("\t") for line in raw.decode("utf-8").splitlines() if not line.startswith("#")]
    assert len(rows) > 200_000
    assert all(geo.normalise(r[1]) == r[7] for r in rows[::20])


def test_admin1_point_is_the_middle_of_its_extent(gaz):
    (manitoba,) = gaz.candidates("Manitoba")
    # The middle of the province's places, far north of where most of its towns lie (their mean is ~50.6 N).
    assert (manitoba.lat, manitoba.lon) == (53.9364, -97.9823)


def test_extent_middle_boxes_over_the_antimeridian():
    assert build_data.extent_middle([(10.0, 20.0), (30.0, 40.0), (20.0, 30.0)]) == (20.0, 30.0)
    lat, lon = build_data.extent_middle([(60.0, 178.0), (64.0, -176.0)])  # Chukotka-like: across 180
    assert (lat, round(lon, 6)) == (62.0, -179.0)


def test_normalise_strips_accents_punctuation_and_expands_saint():
    assert geo.normalise("Côte d’Ivoire") == "cote divoire"
    assert geo.normalise("St. John's") == "saint johns"
    assert geo.normalise("Winston-Salem") == "winston salem"
    assert geo.normalise("O`Fallon") == "ofallon"


def test_demonyms_are_not_in_the_gazetteer(gaz):
    assert gaz.candidates("Russian") == []
    assert gaz.candidates("American") == []


def test_outlet_country_in_any_form(gaz):
    assert gaz.country_code("US") == gaz.country_code("USA") == gaz.country_code("United States") == "USA"
    assert gaz.country_code("Narnia") is None


@pytest.mark.parametrize(
    ("url", "country"),
    [
        ("https://www.cbc.ca/news/x", "CAN"),
        ("http://www.bbc.co.uk/a", "GBR"),
        ("https://news.example.com.au/", "AUS"),
        ("www.example.it", "ITA"),
        ("lfpress.com", None),  # a generic domain says nothing
        ("foo.tv", None),  # a country-code domain sold for its meaning
        ("localhost", None),
        (None, None),
    ],
)
def test_country_of_an_outlet_url(gaz, url, country):
    assert gaz.country_of_url(url) == country


# --- recognition and qualifiers ----------------------------------------------------------------------------


def test_country_resolves_to_the_country(model, gaz):
    assert one(model, gaz, "The talks were held in Turkey last week.") == ("Turkey", "Turkey", "TUR", 298795)


def test_city(model, gaz):
    assert one(model, gaz, "The delegation flew to Moscow on Monday.") == ("Moscow", "Moscow", "RUS", 524901)


def test_region_word_before_a_country(model, gaz):
    assert one(model, gaz, "Rebels still hold parts of northern Syria.") == (
        "northern Syria",
        "Syria",
        "SYR",
        163843,
    )


@pytest.mark.parametrize("text", ["Shelling hit eastern Aleppo overnight.", "Shelling hit East Aleppo overnight."])
def test_region_word_before_a_city_keeps_the_whole_span(model, gaz, text):
    span = "eastern Aleppo" if "eastern" in text else "East Aleppo"
    assert one(model, gaz, text) == (span, "Aleppo", "SYR", 170063)


def test_province_word_selects_the_admin_area(model, gaz):
    text, name, country, gid = one(model, gaz, "Airstrikes were reported in the Idlib province on Sunday.")
    assert (text, name, country, gid) == ("the Idlib province", "Idlib", "SYR", None)  # GeoNames ADM1 id not shipped


def test_bare_name_of_a_city_and_its_province_is_the_city(model, gaz):
    assert one(model, gaz, "Airstrikes were reported in Idlib on Sunday.") == ("Idlib", "Idlib", "SYR", 169389)


def test_demonym_is_not_a_place(model, gaz):
    assert places(model, gaz, "Russian troops crossed the river at dawn.") == []


def test_untagged_capitalised_word_needs_a_sizeable_place(model, gaz):
    doc = model("Aid reached Aleppo and Kelleyville yesterday.")
    doc.ents = []  # the recogniser's miss: only the gazetteer path is left
    found = geo.find(doc, gaz)
    assert [(p.text, p.geonameid) for p in found] == [("Aleppo", 170063)]


def test_dotted_initials_inside_an_organisation_name(model, gaz):
    found = places(model, gaz, "The U.S. Department of Justice said on Monday that it would appeal.")
    assert [(p.text, p.geonameid) for p in found] == [("U.S.", 6252001)]


def test_state_abbreviation_tagged_as_a_place(model, gaz):
    found = places(model, gaz, "He lives in W. Va. and S.C. now.")
    assert [(p.text, p.name) for p in found] == [("W. Va.", "West Virginia"), ("S.C.", "South Carolina")]


def test_dateline_in_capitals(model, gaz):
    doc = model("COLUMBUS -- A 27-year-old woman was fined on Wednesday.")
    doc.ents = []  # the recogniser's miss
    assert [(p.text, p.geonameid) for p in geo.find(doc, gaz)] == [("COLUMBUS", 4509177)]


def test_dateline_with_a_state_abbreviation(model, gaz):
    found = places(model, gaz, "Ohio man dies. SEVIERVILLE, Tenn. (AP) -- Police in the city said a man died.")
    assert [(p.text, p.name, p.geonameid) for p in found] == [
        ("Ohio", "Ohio", 5165418),
        ("SEVIERVILLE", "Sevierville", 4656585),
        ("Tenn.", "Tennessee", 4662168),
    ]


def test_headline_in_capitals_is_no_dateline(model, gaz):
    doc = model("COLUMBUS -- THE END OF AN ERA")
    doc.ents = []
    assert geo.find(doc, gaz) == []


def test_small_town_taken_where_the_article_places_are(model, gaz):
    doc = model("Police in Connecticut said Torrington officials met on Monday.")
    doc.ents = []
    assert [(p.text, p.geonameid) for p in geo.find(doc, gaz)] == [("Connecticut", 4831725), ("Torrington", 4844309)]
    doc = model("Police in Ohio said Torrington officials met on Monday.")  # no Torrington in Ohio
    doc.ents = []
    assert [p.text for p in geo.find(doc, gaz)] == ["Ohio"]


def test_small_town_not_taken_when_it_is_someone_s_name(model, gaz):
    doc = model("Police in Connecticut said Torrington officials met. Elinor Torrington spoke first.")
    doc.ents = [Span(doc, 8, 10, label="PERSON")]  # "Elinor Torrington"
    assert [p.text for p in geo.find(doc, gaz)] == ["Connecticut"]


def test_county_called_an_organisation_is_a_place(model, gaz):
    doc = model("Police said Laurel County deputies were called.")
    doc.ents = [Span(doc, 2, 4, label="ORG")]
    assert [(p.text, p.country) for p in geo.find(doc, gaz)] == [("Laurel County", "USA")]
    doc = model("Police said Laurel deputies were called.")
    doc.ents = [Span(doc, 2, 3, label="ORG")]
    assert geo.find(doc, gaz) == []


def test_name_called_a_person_is_a_place_only_after_in(model, gaz):
    doc = model("Officials in Iowa met in Clinton on Monday.")
    doc.ents = [Span(doc, 2, 3, label="GPE"), Span(doc, 5, 6, label="PERSON")]
    assert [(p.text, p.geonameid) for p in geo.find(doc, gaz)] == [("Iowa", 4862182), ("Clinton", 4852022)]
    doc = model("Officials in Iowa met Clinton on Monday.")
    doc.ents = [Span(doc, 2, 3, label="GPE"), Span(doc, 4, 5, label="PERSON")]
    assert [p.text for p in geo.find(doc, gaz)] == ["Iowa"]


def test_untagged_word_at_sentence_start_is_not_taken(model, gaz):
    doc = model("Aleppo was quiet.")
    doc.ents = []
    assert geo.find(doc, gaz) == []


# --- metonymy -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Moscow said it would veto the resolution.", "Washington rejected the proposal on Friday."],
)
def test_capital_as_subject_of_a_verb_is_an_actor(model, gaz, text):
    assert places(model, gaz, text) == []


def test_country_as_subject_of_a_verb_is_an_actor(model, gaz):
    assert places(model, gaz, "Turkey rejected the proposal on Friday.") == []


def test_capital_as_object_is_a_place(model, gaz):
    assert one(model, gaz, "The minister arrived in Washington on Friday.")[3] == 4140963


# --- resolution with context ------------------------------------------------------------------------------------


def test_city_comma_state_pattern(model, gaz):
    found = places(model, gaz, "The film was shot in Paris, Texas, last summer.")
    assert [(p.text, p.geonameid) for p in found] == [("Paris", 4717560), ("Texas", 4736286)]


def test_city_comma_country_pattern(model, gaz):
    found = places(model, gaz, "The convoy left Aleppo, Syria, at noon.")
    assert [(p.text, p.geonameid) for p in found] == [("Aleppo", 170063), ("Syria", 163843)]


def test_state_abbreviation_after_a_comma(model, gaz):
    found = places(model, gaz, "She grew up in Springfield, Ill., before moving away.")
    assert [(p.text, p.name, p.geonameid) for p in found] == [
        ("Springfield", "Springfield", 4250542),
        ("Ill.", "Illinois", 4896861),
    ]


def test_other_places_in_the_article_decide(model, gaz):
    found = places(model, gaz, "Police in Louisiana said a fire in Alexandria destroyed two homes.")
    assert [(p.text, p.geonameid) for p in found] == [("Louisiana", 4331987), ("Alexandria", 4314550)]


def test_the_state_the_other_names_share_decides(model, gaz):
    # Meigs County lies in Ohio or Tennessee, Pomeroy in Ohio, Washington or Iowa: only Ohio has an Athens of all.
    found = places(model, gaz, "Deputies in Meigs County said a fire near Pomeroy spread to a barn outside Athens.")
    assert [(p.text, p.country, p.geonameid) for p in found] == [
        ("Meigs County", "USA", None),
        ("Pomeroy", "USA", 4521708),
        ("Athens", "USA", 4505542),
    ]


@pytest.mark.parametrize(
    ("county", "paris"),
    [("Henry County", 4647963), ("Edgar County", 4246659)],  # Paris, Tennessee; Paris, Illinois
)
def test_a_town_and_its_county_decide_each_other(model, gaz, county, paris):
    found = places(model, gaz, f"Deputies in {county} said a fire in Paris destroyed a barn.")
    assert [(p.text, p.geonameid) for p in found] == [(county, None), ("Paris", paris)]
    assert found[0].country == "USA"
    assert found[0].lat is not None and found[1].lat is not None
    assert abs(found[0].lat - found[1].lat) < 0.2  # the county the town lies in, not another Henry County


def test_a_town_near_an_undoubted_town_of_the_article(model, gaz):
    # Florence, Kentucky lies 15 km from Cincinnati (Ohio); the larger Florences of Alabama and Italy do not.
    found = places(model, gaz, "Officials in Cincinnati said a man from Florence was arrested.")
    assert [(p.text, p.geonameid) for p in found] == [("Cincinnati", 4508722), ("Florence", 4291945)]
    assert one(model, gaz, "A man from Florence was arrested.")[3] == 3176959


def test_a_county_of_one_country_makes_that_country_the_context(model, gaz):
    found = places(model, gaz, "Deputies in Clarke County said a fire in Athens destroyed a barn.")
    assert [(p.text, p.geonameid) for p in found] == [("Clarke County", None), ("Athens", 4180386)]


def test_a_state_settled_by_the_others_anchors_the_rest(model, gaz):
    # "Georgia" is the country by its prior alone; once resolved as the US state it votes for Georgia, not Texas.
    text = "The Georgia Public Service Commission met in Atlanta. Texas runs a similar service."
    found = places(model, gaz, text)
    assert [(p.text, p.geonameid) for p in found] == [("Georgia", 4197000), ("Atlanta", 4180439), ("Texas", 4736286)]


def test_new_york_among_states_is_the_state(model, gaz):
    found = places(model, gaz, "Voters in Ohio, Iowa and New York backed the measure.")
    assert [(p.text, p.geonameid) for p in found] == [("Ohio", 5165418), ("Iowa", 4862182), ("New York", 5128638)]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("New York Gov. Andrew Cuomo signed the bill on Monday.", "New York"),
        ("The storm hit upstate New York on Monday.", "upstate New York"),
    ],
)
def test_words_of_a_state_office_make_new_york_the_state(model, gaz, text, span):
    assert one(model, gaz, text) == (span, "New York", "USA", 5128638)


def test_bare_new_york_is_the_city(model, gaz):
    assert one(model, gaz, "She moved to New York last year.") == ("New York", "New York City", "USA", 5128581)


def test_lower_case_qualifier_does_not_make_another_place(model, gaz):
    assert one(model, gaz, "The attack happened in east London on Friday.") == (
        "east London",
        "London",
        "GBR",
        2643743,
    )


def test_dateline_naming_a_capital_is_the_capital(model, gaz):
    found = places(model, gaz, "WASHINGTON -- Lawmakers met envoys from London on Tuesday.", outlet_country="GBR")
    assert [(p.text, p.geonameid) for p in found] == [("WASHINGTON", 4140963), ("London", 2643743)]


def test_a_country_before_a_comma_is_listed_not_qualified(model, gaz):
    found = places(model, gaz, "The talks covered sanctions on Russia, U.S. officials said.")
    assert [(p.text, p.geonameid) for p in found] == [("Russia", 2017370), ("U.S.", 6252001)]


def test_without_context_the_largest_place_wins(model, gaz):
    assert one(model, gaz, "A fire in Alexandria destroyed two homes.")[3] == 361058


def test_dateline_decides(model, gaz):
    text = "A fire in Alexandria destroyed two homes."
    assert one(model, gaz, text, dateline_place="RICHMOND, Va.")[3] == 4744091


def test_outlet_country_decides(model, gaz):
    text = "The mayor of Birmingham opened the new library."
    assert one(model, gaz, text)[3] == 2655603
    assert one(model, gaz, text, outlet_country="USA")[3] == 4049979
    assert one(model, gaz, text, outlet_country="US")[3] == 4049979


def test_resolve_gold_spans_in_isolation(model, gaz):
    text = "Russian jets struck targets near Aleppo."
    doc = model(text)
    resolved = geo.resolve_spans(doc, gaz, [(0, 7), (33, 39), (8, 12)])  # "Russian", "Aleppo", "jets"
    assert [p.geonameid if p else None for p in resolved] == [2017370, 170063, None]


# --- the pipeline stage ---------------------------------------------------------------------------------------


def test_annotator_fills_places_with_dateline_and_outlet(model, gaz):
    text = "A fire in Alexandria destroyed two homes."
    article = Article(id="a1", text=text, dateline=Dateline(text="RICHMOND, Va. -", place="RICHMOND"))
    analysis = Analysis(article=article)
    geo.GeoAnnotator(gaz)(model(text), analysis, None)
    assert [(p.text, p.geonameid) for p in analysis.places] == [("Alexandria", 4744091)]


def test_annotator_takes_the_outlet_country_from_the_url_domain(model, gaz):
    text = "The mayor of Birmingham opened the new library."
    found = {}
    for url in ("https://www.example.com/a", "https://www.example.us/a"):
        analysis = Analysis(article=Article(id="a3", text=text, url=url))
        geo.GeoAnnotator(gaz)(model(text), analysis, None)
        found[url] = [p.geonameid for p in analysis.places]
    assert found == {"https://www.example.com/a": [2655603], "https://www.example.us/a": [4049979]}


def test_annotator_without_dateline(model, gaz):
    text = "The minister arrived in Turkey."
    analysis = Analysis(article=Article(id="a2", text=text))
    geo.GeoAnnotator(gaz)(model(text), analysis, None)
    assert [p.geonameid for p in analysis.places] == [298795]


# --- bad input -------------------------------------------------------------------------------------------------


def test_very_long_mention_does_not_crash(model, gaz):
    text = "He went to " + " ".join(["Springfield"] * 3000) + " and then to Moscow."
    found = places(model, gaz, text)
    assert all(len(p.text) <= geo.MAX_MENTION_CHARS + 40 for p in found)
    assert gaz.candidates("A" * 10_000) == []


def test_non_latin_script_does_not_crash(model, gaz):
    text = "Встреча прошла в Москве. 会议在北京举行。 الاجتماع في حلب"
    assert isinstance(places(model, gaz, text), list)
    assert gaz.candidates("حلب") == []  # non-Latin alternate names are not indexed


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_normalise_and_candidates_never_crash(gaz, s):
    assert isinstance(geo.normalise(s), str)
    assert isinstance(gaz.candidates(s), list)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_dateline_and_outlet_of_any_text_never_crash(model, gaz, s):
    doc = model("Officials met in Paris.")
    assert len(geo.find(doc, gaz, dateline_place=s, outlet_country=s)) <= 1


# --- benchmark floor (needs ../shared) ------------------------------------------------------------------------


@pytest.mark.shared
def test_benchmark_floor_on_a_tr_news_sample():
    path = SHARED / "TR-News.xml"
    if not path.exists():
        pytest.skip("../shared/data/geoparsing is absent")
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_geo", Path(__file__).resolve().parents[1] / "bench" / "geo.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses in the module look themselves up there
    spec.loader.exec_module(bench)
    r = bench.run(path, 15)
    assert r["recall"] >= 0.55
    assert r["acc161_or_id_recognised"] >= 0.75


# --- round 3: GeoNames' own points, longer names, town cues -------------------------------------------------


def test_australia_and_its_states_take_geonames_own_points_and_ids(gaz):
    # geonames_points.tsv (GeoNames' AU extract): the country and its states carry GeoNames' points and ids.
    (australia,) = [e for e in gaz.candidates("Australia") if e.feature == "country"]
    assert (australia.geonameid, australia.lat, australia.lon) == (2077456, -25.0, 135.0)
    (qld,) = [e for e in gaz.candidates("Queensland") if e.feature == "admin1"]
    assert (qld.country, qld.admin1, qld.geonameid, qld.lat, qld.lon) == ("AUS", "04", 2152274, -20.0, 145.0)


def test_geonames_points_file_names_known_areas_only(gaz):
    rows = [r for r in geo._lines("geonames_points.tsv")]
    assert rows and all(r[0] in ("0", "1") for r in rows)
    for level, iso2, code, gid, _lat, _lon, _name in rows:
        if level == "1":
            area = gaz.admin1[(gaz.iso3[iso2], code)]
            assert area.geonameid == int(gid)


def test_a_town_name_before_township_is_not_that_town(model, gaz):
    # "Jackson Township" is unknown; "Jackson" alone (Mississippi) is another place.
    assert places(model, gaz, "She was born in Jackson Township on May 26, 1930.") == []


def test_a_name_after_st_abbreviation_is_not_the_shorter_place(model, gaz):
    assert places(model, gaz, "The fire started in the St. Paris Court mobile home park, deputies said.") == []


def test_capitalised_city_belongs_to_an_unknown_name(model, gaz):
    assert places(model, gaz, "He found an office park in Harbor City that was large enough.") == []


def test_capitalised_city_after_a_large_city_is_that_city(model, gaz):
    assert one(model, gaz, "Officials met in Taguig City on Monday.") == ("Taguig", "Taguig", "PHL", 1684308)


def test_city_of_a_name_is_a_town_not_the_country(model, gaz):
    text = "Water rates will rise next year, the city of Lebanon announced on Monday."
    assert one(model, gaz, text) == ("Lebanon", "Lebanon", "USA", 4636045)


def test_city_of_an_unknown_town_drops_every_mention_of_the_name(model, gaz):
    # No town "Turkey" is in the gazetteer (the one in Texas is too small): neither mention is the country.
    text = "The festival returns to Turkey on Thursday, according to the city of Turkey."
    assert places(model, gaz, text) == []


def test_short_capitals_inside_a_sentence_are_an_acronym_not_a_town(model, gaz):
    # Even tagged as a place, "EU" is not the town Eu (France); "US" still names the country (an alias).
    doc = model("Senior EU officials met US envoys on Monday.")
    doc.ents = [Span(doc, 1, 2, label="GPE"), Span(doc, 4, 5, label="GPE")]
    assert [(p.text, p.name, p.geonameid) for p in geo.find(doc, gaz)] == [("US", "United States", 6252001)]


def test_a_dateline_in_capitals_is_no_acronym(model, gaz):
    found = places(model, gaz, "ADA, Okla. -- The council met on Monday.")
    assert [(p.text, p.name, p.country, p.geonameid) for p in found] == [
        ("ADA", "Ada", "USA", 4529096),
        ("Okla.", "Oklahoma", "USA", 4544379),
    ]


def test_state_abbreviation_whose_final_dot_the_tokenizer_split_off(model, gaz):
    found = places(model, gaz, "CHARLESTON, W.Va. -- All lanes reopened on Monday.")
    assert [(p.text, p.name, p.geonameid) for p in found] == [
        ("CHARLESTON", "Charleston", 4801859),  # West Virginia's capital, not South Carolina's Charleston
        ("W.Va", "West Virginia", 4826850),
    ]


def test_two_token_state_abbreviation_after_a_town(gaz):
    texts = ["Morgantown", ",", "W.", "Va.", ","]
    found = geo._abbreviation(gaz, texts, 2)
    assert found is not None
    end, area = found
    assert (end, area.name, area.admin1) == (4, "West Virginia", "WV")
    assert geo._abbreviation(gaz, texts, 0) is None


def test_town_unknown_in_the_state_named_after_it_takes_the_state(model, gaz):
    # The gazetteer knows Grantville, Georgia but none in Pennsylvania: the state is the best point known.
    found = places(model, gaz, "Martha was born in Grantville, Pennsylvania, on November 4, 1913.")
    assert [(p.text, p.name, p.geonameid) for p in found] == [
        ("Grantville", "Pennsylvania", 6254927),
        ("Pennsylvania", "Pennsylvania", 6254927),
    ]


def test_a_list_of_towns_is_not_a_town_and_its_state(model, gaz):
    found = places(model, gaz, "Volunteers came from Crockett, Palestine and Houston.")
    assert [(p.name, p.country, p.geonameid) for p in found] == [
        ("Crockett", "USA", 4684218),
        ("Palestine", "USA", 4717232),
        ("Houston", "USA", 4699066),
    ]


def test_representative_point_of_a_vast_area_is_the_middle_of_its_extent():
    # Places 2,200 km apart north to south, most of them in the south: the middle of the box, not their mean.
    pts = [(49.0, -100.0), (49.2, -99.0), (49.4, -98.0), (69.0, -99.0)]
    assert build_data.representative_point(pts) == (59.0, -99.0)


def test_representative_point_of_a_small_area_is_the_mean_of_its_places():
    # A long arm of towns to the west drags the middle of the box away; the mean stays with the towns.
    pts = [(37.0, -77.0), (37.2, -77.2), (37.4, -77.4), (36.6, -83.0)]
    lat, lon = build_data.representative_point(pts)
    assert (round(lat, 3), round(lon, 3)) == (37.05, -78.65)


def test_a_head_word_inside_a_longer_facility_name_keeps_the_town(model, gaz):
    # "Village" does not end the capitalised run: the shopping centre is Dublin's, so Dublin is still a place.
    found = places(model, gaz, "Films will play at the theater in the Dublin Village Shopping Center on Friday.")
    assert [p.text for p in found] == ["Dublin"]


def test_a_small_known_name_with_a_head_word_is_taken_whole(model, gaz):
    # Untagged "Echo Park" is a known place too small to take alone; Los Angeles anchors its state. The shorter
    # "Echo" (glued to "Park") must not stop it.
    doc = model("Crews from Los Angeles worked in Echo Park on Monday.")
    doc.ents = [Span(doc, 2, 4, label="GPE")]
    found = geo.find(doc, gaz)
    assert [(p.text, p.geonameid) for p in found] == [("Los Angeles", 5368361), ("Echo Park", 10104154)]


# Round 4: lists of counties, big cities and their states, a county's bare name, a capital against local namesakes.


def r1(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def test_names_listed_before_counties_are_counties(model, gaz):
    # Callahan, Florida is the only town of that name: the plural "counties" makes it Callahan County, Texas.
    found = places(model, gaz, "Grass fires burned more than 200 acres in Eastland and Callahan counties on Sunday.")
    assert [(p.text, p.name, p.country, r1(p.lat), r1(p.lon)) for p in found] == [
        ("Eastland", "Eastland County", "USA", 32.4, -98.8),
        ("Callahan", "Callahan County", "USA", 32.4, -99.4),
    ]


def test_the_first_name_of_a_county_list_is_a_county_unless_it_is_a_state(model, gaz):
    # Douglas is also Isle of Man's capital and an area there, but no well-known one: the list makes it a county.
    found = places(model, gaz, "The population of Douglas, Sarpy and Lancaster counties grew.")
    assert [(p.text, p.name) for p in found] == [("Douglas", "Douglas County"), ("Lancaster", "Lancaster County")]
    # Texas opens the list but is a state: the counties are Texas's, Texas stays Texas.
    found = places(model, gaz, "Fires burned in Texas, Eastland and Callahan counties on Sunday.")
    assert [(p.text, p.name) for p in found] == [
        ("Texas", "Texas"),
        ("Eastland", "Eastland County"),
        ("Callahan", "Callahan County"),
    ]


def test_a_state_before_counties_is_still_the_state(model, gaz):
    # "Indiana counties" are the counties of Indiana, not Indiana County, Pennsylvania.
    found = places(model, gaz, "Boone County ranks in the middle of Indiana counties for jobs.")
    assert [(p.text, p.name, r1(p.lat)) for p in found] == [
        ("Boone County", "Boone County", 40.0),
        ("Indiana", "Indiana", 40.1),
    ]


def test_a_big_city_does_not_pull_a_namesake_into_its_state(model, gaz, monkeypatch):
    # Queens says the article is in the United States, not that Hartford is the village in New York state.
    text = "The band drove from Queens to Hartford on Friday night."
    hartford = [p for p in places(model, gaz, text) if p.text == "Hartford"]
    assert [(r1(p.lat), r1(p.lon)) for p in hartford] == [(41.8, -72.7)]  # Connecticut's capital
    monkeypatch.setattr(geo, "BIG_CITY", 10**12)  # the rule off: Hartford, New York
    assert [r1(p.lat) for p in places(model, gaz, text) if p.text == "Hartford"] == [43.4]


def test_a_bare_county_name_is_that_county_once_the_article_names_it(model, gaz):
    # DeKalb, Illinois is a city; the article's DeKalb County (Georgia) makes a bare "DeKalb" that county.
    found = places(
        model, gaz, "DeKalb County commissioners met on Tuesday in Decatur. Residents of DeKalb packed the hall."
    )
    assert [(p.text, p.name, r1(p.lat), r1(p.lon)) for p in found] == [
        ("DeKalb County", "DeKalb County", 33.8, -84.3),
        ("Decatur", "Decatur", 33.8, -84.3),
        ("DeKalb", "DeKalb County", 33.8, -84.3),
    ]


def test_the_capital_is_not_outvoted_by_a_local_namesake(model, gaz, monkeypatch):
    # Norman and Oklahoma lie beside Washington, Oklahoma (a small town): the capital is still meant.
    text = "The Norman, Okla., teacher later moved to Washington, where she lobbied Congress."
    washington = [p for p in places(model, gaz, text) if p.text == "Washington"]
    assert [(p.name, r1(p.lat), r1(p.lon)) for p in washington] == [("Washington", 38.9, -77.0)]
    monkeypatch.setattr(geo, "CAPITAL_OVER_LOCAL", 0.0)  # the rule off: the Oklahoma town
    assert [r1(p.lat) for p in places(model, gaz, text) if p.text == "Washington"] == [35.1]


def test_a_foreign_capital_gets_no_help_in_a_local_story(model, gaz):
    # France is not named: "Paris" beside Reno and Lamar County is the Texas town, as before the capital rule.
    found = places(model, gaz, "Deputies from Reno and Lamar County, Texas, took the man to jail in Paris.")
    assert [(p.text, r1(p.lat), r1(p.lon)) for p in found if p.text == "Paris"] == [("Paris", 33.7, -95.6)]
