"""The quotes stage: one sentence per form with exact content, kind, cue and speaker; coreference; marks."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventdesk.model import Actor, Analysis, Article
from eventdesk.quotes import QuoteAnnotator, find_quoted, headline_quote


@pytest.fixture(scope="module")
def annotator():
    return QuoteAnnotator()


def run(nlp, annotator, text, actors=()):
    doc = nlp(text)
    out = []
    for a in annotator.find(doc, list(actors)):
        sp = a.speaker
        assert text[a.start : a.end]
        if sp is not None:
            assert text[sp.start : sp.end] == sp.text
        out.append((a.kind, a.cue, text[a.start : a.end], sp.text if sp else None, sp.name if sp else None))
    return out


# One sentence per form: (text, [(kind, cue, content, speaker text, speaker name)]).
FORMS = [
    (
        "“We will not leave our city,” said Karim Haddad.",
        [("direct", "said", "We will not leave our city", "Karim Haddad", "Karim Haddad")],
    ),
    (
        "Claire Dumont said: «This veto is a blow to the people of Aleppo.»",
        [("direct", "said", "This veto is a blow to the people of Aleppo.", "Claire Dumont", "Claire Dumont")],
    ),
    (
        "Angela Merkel said: „We stay here.“",
        [("direct", "said", "We stay here.", "Angela Merkel", "Angela Merkel")],
    ),
    (
        "“We will stay,” Sergei Lavrov said, “and we will win.”",
        [("direct", "said", "We will stay,” Sergei Lavrov said, “and we will win.", "Sergei Lavrov", "Sergei Lavrov")],
    ),
    (
        "Sergei Lavrov said the pause would not be extended.",
        [("indirect", "said", "the pause would not be extended", "Sergei Lavrov", "Sergei Lavrov")],
    ),
    (
        "Sergei Lavrov said that the pause would not be extended.",
        [("indirect", "said", "the pause would not be extended", "Sergei Lavrov", "Sergei Lavrov")],
    ),
    (
        "According to Sergei Lavrov, Moscow had handed its proposals to the French side.",
        [
            (
                "according_to",
                "According to",
                "Moscow had handed its proposals to the French side",
                "Sergei Lavrov",
                "Sergei Lavrov",
            )
        ],
    ),
    (
        "Moscow had handed its proposals to the French side, according to Sergei Lavrov.",
        [
            (
                "according_to",
                "according to",
                "Moscow had handed its proposals to the French side",
                "Sergei Lavrov",
                "Sergei Lavrov",
            )
        ],
    ),
    (
        "Sergei Lavrov's spokesman said the talks would resume on Monday.",
        [("indirect", "said", "the talks would resume on Monday", "Sergei Lavrov's spokesman", None)],
    ),
    (
        "Sources close to the Kremlin said the talks would resume on Monday.",
        [("indirect", "said", "the talks would resume on Monday", "Sources close to the Kremlin", None)],
    ),
    (
        "In an interview with CNN, Sergei Lavrov said the talks would resume.",
        [("indirect", "said", "the talks would resume", "Sergei Lavrov", "Sergei Lavrov")],
    ),
    (
        "The Foreign Ministry said the talks would resume.",
        [("indirect", "said", "the talks would resume", "The Foreign Ministry", "The Foreign Ministry")],
    ),
    ("Diplomats said the talks would resume.", [("indirect", "said", "the talks would resume", "Diplomats", None)]),
    (
        "A senior official said the talks would resume.",
        [("indirect", "said", "the talks would resume", "A senior official", None)],
    ),
    (
        "Sergei Lavrov was quoted as saying the talks would resume.",
        [("indirect", "was quoted as saying", "the talks would resume", "Sergei Lavrov", "Sergei Lavrov")],
    ),
    (
        "Maria Zakharova wrote on Telegram that the talks would resume.",
        [("indirect", "wrote on Telegram", "the talks would resume", "Maria Zakharova", "Maria Zakharova")],
    ),
    (
        "Sergei Lavrov said in a statement that the talks would resume.",
        [("indirect", "said in a statement", "the talks would resume", "Sergei Lavrov", "Sergei Lavrov")],
    ),
    (
        "Sergei Lavrov said the text was “unacceptable” and one-sided.",
        [("mixed", "said", "the text was “unacceptable” and one-sided", "Sergei Lavrov", "Sergei Lavrov")],
    ),
    (
        "Sergei Lavrov called the draft 'unacceptable'.",
        [("partial", "called", "unacceptable", "Sergei Lavrov", "Sergei Lavrov")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FORMS, ids=[f[0][:40] for f in FORMS])
def test_each_form(nlp, annotator, text, expected):
    assert run(nlp, annotator, text) == expected


def test_scare_quotes_in_narration_are_not_quotes(nlp, annotator):
    assert run(nlp, annotator, "The so-called “moderate” rebels were shelled.") == []


# ------------------------------------------------------------------------------------------ coreference


def test_pronoun_agrees_in_gender_with_the_nearest_person(nlp, annotator):
    text = (
        "Russian Deputy Foreign Minister Arkady Voronin met the French envoy Claire Dumont. "
        "She said Paris would press ahead."
    )
    assert run(nlp, annotator, text) == [("indirect", "said", "Paris would press ahead", "She", "Claire Dumont")]


def test_pronoun_speaker_after_a_quote_resolves_to_the_named_person(nlp, annotator):
    text = "Harriet Cole spoke after the vote. 'There are children here who have never known peace,' she said."
    assert run(nlp, annotator, text) == [
        ("direct", "said", "There are children here who have never known peace", "she", "Harriet Cole")
    ]


def test_nominal_anaphor_agrees_in_title(nlp, annotator):
    text = (
        "Russian Deputy Foreign Minister Arkady Voronin met the French envoy Claire Dumont. "
        "The deputy minister said Moscow would veto the draft."
    )
    assert run(nlp, annotator, text) == [
        ("indirect", "said", "Moscow would veto the draft", "The deputy minister", "Arkady Voronin")
    ]


def test_the_diplomat_skips_a_nearer_person_without_a_diplomatic_title(nlp, annotator):
    text = (
        "The ambassador, Gennady Sorokin, arrived late. Claire Dumont spoke first. "
        "The diplomat said he had instructions to vote against it."
    )
    got = run(nlp, annotator, text)
    assert got == [("indirect", "said", "he had instructions to vote against it", "The diplomat", "Gennady Sorokin")]


def test_a_surname_takes_the_full_name_given_earlier(nlp, annotator):
    text = "Sergei Lavrov arrived in Geneva. Lavrov said the talks would resume."
    assert run(nlp, annotator, text)[0][4] == "Sergei Lavrov"


def test_speaker_carries_the_actor_code_from_the_actors_stage(nlp, annotator):
    text = "Russian Foreign Minister Sergei Lavrov arrived. He said the talks would resume."
    start = text.index("Russian")
    end = text.index(" arrived")
    actor = Actor(text=text[start:end], start=start, end=end, name="Sergei Lavrov", country="RUS", sector="GOV")
    doc = nlp(text)
    (a,) = QuoteAnnotator().find(doc, [actor])
    assert a.speaker is not None
    assert (a.speaker.text, a.speaker.name, a.speaker.actor) == (
        "He",
        "Sergei Lavrov",
        {"country": "RUS", "sector": "GOV"},
    )
    assert a.speaker.antecedent == (text.index("Sergei"), end)


def test_speaker_named_in_the_previous_paragraph(nlp, annotator):
    text = "Karim Haddad spoke to reporters on Monday.\n“We will never leave our homes. This city is ours.”"
    assert run(nlp, annotator, text) == [
        ("direct", None, "We will never leave our homes. This city is ours.", "Karim Haddad", "Karim Haddad")
    ]


# ------------------------------------------------------------------------------------ unbalanced marks


def test_missing_closing_mark_stops_at_the_attribution_not_the_article_end(nlp, annotator):
    text = "“We will not go, Haddad said. The city is ours.\nThe next paragraph is narration and must not be swallowed."
    got = run(nlp, annotator, text)
    assert got == [("direct", "said", "We will not go", "Haddad", "Haddad")]


def test_quote_continues_into_the_next_paragraph_that_opens_with_a_mark(nlp, annotator):
    text = "Karim Haddad spoke to reporters.\n“We will not leave.\n“We will never leave our homes,” he said."
    got = run(nlp, annotator, text)
    assert got == [("direct", "said", "We will not leave.\n“We will never leave our homes", "he", "Karim Haddad")]


def test_find_quoted_unclosed_mark_ends_at_the_paragraph():
    text = "He said “we will go.\nNarration follows here."
    (q,) = find_quoted(text)
    assert (text[q.start : q.end], q.close) == ("we will go.", None)


def test_find_quoted_apostrophes_are_not_quotes():
    assert find_quoted("The leaders’ meeting didn’t start in the ’90s style.") == []


def test_find_quoted_nested_single_inside_double():
    text = "“He told me ‘no’ twice,” she said."
    (q,) = find_quoted(text)
    assert text[q.start : q.end] == "He told me ‘no’ twice,"


# ------------------------------------------------------------------------------------------ headline


def test_headline_quote_with_colon():
    h = headline_quote('Voronin: "We will not back this draft"')
    assert h is not None
    assert (h.speaker, h.content, h.kind) == ("Voronin", "We will not back this draft", "direct")


def test_headline_attribution_after_a_dash():
    h = headline_quote("Humanitarian pause in Aleppo extended by 24 hours — General Staff")
    assert h is not None
    assert (h.speaker, h.content, h.kind) == (
        "General Staff",
        "Humanitarian pause in Aleppo extended by 24 hours",
        "indirect",
    )


def test_headline_without_attribution():
    assert headline_quote("Aid trickles into besieged Aleppo as pause begins") is None


# ------------------------------------------------------------------------------------------ the stage


def test_stage_fills_analysis_quotes_with_offsets_that_hold(nlp, annotator):
    text = "“We will not leave our city,” said Karim Haddad."
    analysis = Analysis(article=Article(id="t", text=text))
    annotator(nlp(text), analysis, None)
    (q,) = analysis.quotes
    assert (q.text, q.kind, q.cue) == ("We will not leave our city", "direct", "said")
    assert text[q.start : q.end] == q.text
    assert q.speaker is not None and q.speaker.name == "Karim Haddad"


_ALPHABET = st.sampled_from([*list("ab cdXY.,:;!?\n\"'“”«»„‘’—-"), "said", " he ", " She said ", "according to "])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_random_text_never_crashes_and_offsets_hold(nlp, annotator, text):
    doc = nlp(text)
    for a in annotator.find(doc):
        assert 0 <= a.start < a.end <= len(text)
        if a.speaker is not None:
            assert text[a.speaker.start : a.speaker.end] == a.speaker.text
    for q in find_quoted(text):
        assert 0 <= q.start <= q.end <= len(text)


# General attribution rules beyond speech verbs: (text, (kind, cue, content, speaker text)).
STANCES = [
    # A judgement verb (Levin 33) takes its object as the content, a pronoun object too.
    ("The governor lambasted the new budget plan.", ("indirect", "lambasted", "the new budget plan", "The governor")),
    ("The senators condemned him after the vote.", ("indirect", "condemned", "him", "The senators")),
    # "called on X to Y": the addressee belongs to the content of an infinitive cue.
    (
        "Karim Haddad called on the Council to lift the siege.",
        ("indirect", "called on", "the Council to lift the siege", "Karim Haddad"),
    ),
    # An intention verb with an infinitive.
    ("Haddad plans to visit Aleppo next week.", ("indirect", "plans", "to visit Aleppo next week", "Haddad")),
    # A participle on a noun: the noun is the source, and a small clause's predicate is in the content.
    ("A poll showing Haddad ahead was published on Monday.", ("indirect", "showing", "Haddad ahead", "A poll")),
    # A message someone issued speaks for them.
    (
        "The ministry issued a statement saying that the talks would resume.",
        ("indirect", "issued a statement saying", "the talks would resume", "The ministry"),
    ),
    # A title-case headline line with a present-tense cue verb, and one with a colon.
    (
        "Karim Haddad Warns Siege Will Hurt Civilians\nThe mayor spoke on Monday.",
        ("indirect", "Warns", "Siege Will Hurt Civilians", "Karim Haddad"),
    ),
    (
        "Aleppo Mayor: We Will Not Leave\nThe mayor spoke on Monday.",
        ("indirect", ":", "We Will Not Leave", "Aleppo Mayor"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), STANCES, ids=[s[0][:40] for s in STANCES])
def test_general_stance_rules(nlp, annotator, text, expected):
    assert [r[:4] for r in run(nlp, annotator, text)] == [expected]


def test_headline_rule_needs_a_cue_verb_and_a_short_first_line(nlp, annotator):
    # "Sinks" is no cue verb; a long first paragraph is body text, not a headline.
    assert run(nlp, annotator, "Aleppo Market Sinks Amid Fighting\nThe mayor spoke on Monday.") == []
    long_line = "Karim Haddad Warns " + " ".join(["Siege"] * 25) + "\nThe mayor spoke."
    assert all(r[1] != "Warns" for r in run(nlp, annotator, long_line))


# ----------------------------------------------------------------------------------------- speaker names


def speakers(nlp, annotator, text, actors=()):
    """(speaker as written, name, kind) of each attribution, in text order."""
    out = []
    for a in annotator.find(nlp(text), list(actors)):
        sp = a.speaker
        out.append((sp.text, sp.name, sp.kind) if sp is not None else None)
    return out


NAMES = [
    # Titles, ranks and honorifics before a name are not part of it (data/quotes/titles.toml).
    (
        "Lt Gen Pavel Orlov said the corridors would stay open.",
        [("Lt Gen Pavel Orlov", "Pavel Orlov", "person")],
    ),
    ("Dr. Lena Hart said the clinic had run out of fuel.", [("Dr. Lena Hart", "Lena Hart", "person")]),
    (
        "Sheikh Khalid bin Saud said the kingdom would mediate.",
        [("Sheikh Khalid bin Saud", "Khalid bin Saud", "person")],
    ),
    # A capitalised title's complement runs into the name: the name starts at the known given name.
    (
        "“The state is ready,” Governor of Homs Tarek Nassif told reporters at the crossing.",
        [("Governor of Homs Tarek Nassif", "Tarek Nassif", "person")],
    ),
    (
        "Mayor of Kyiv Vitali Klitschko said the city would hold.",
        [("Mayor of Kyiv Vitali Klitschko", "Vitali Klitschko", "person")],
    ),
    # A kunya is a name: "Umm" and "Abu" stay (and "Umm" tells "she").
    (
        "Umm Ahmad, a teacher, said she had stopped listening to the news. “Nothing changes,” she said.",
        [("Umm Ahmad", "Umm Ahmad", "person"), ("she", "Umm Ahmad", "person")],
    ),
    ("Abu Omar said he had thought about leaving.", [("Abu Omar", "Abu Omar", "person")]),
    # A surname alone is the person named in full earlier, even when the parser tags it as a place.
    (
        "Interior Minister Dana Weiss arrived in Haifa. Weiss told reporters the borders would stay shut.",
        [("Weiss", "Dana Weiss", "person")],
    ),
    (
        "Colonel Boris Teplov commanded the unit. “We will hold,” Teplov told the briefing.",
        [("Teplov", "Boris Teplov", "person")],
    ),
    # A capitalised title is still a role that refers back.
    (
        "The Deputy Foreign Minister Yusuf Karam met the envoy. The Deputy Minister said the government was ready.",
        [("The Deputy Minister", "Yusuf Karam", "person")],
    ),
    # A title's apposition names the speaker, also when the parser hangs it on the title's last noun.
    (
        "The French ambassador, Jean Marchal, said the vote had failed.",
        [("The French ambassador", "Jean Marchal", "person")],
    ),
    (
        "The factions accepted the plan, their spokesman Omar Salem said on Friday.",
        [("their spokesman", "Omar Salem", "person")],
    ),
    (
        "Britain’s ambassador to the UN, Mary Holt, accused Moscow of blocking the council.",
        [("Britain’s ambassador to the UN", "Mary Holt", "person")],
    ),
    # ... but the complement of a lower-case noun is not the speaker.
    (
        "The lawyer for John Smith said the charges would be dropped.",
        [("The lawyer for John Smith", None, "anonymous")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), NAMES, ids=[t[:40] for t, _ in NAMES])
def test_speaker_names(nlp, annotator, text, expected):
    assert speakers(nlp, annotator, text) == expected


def test_a_document_in_according_to_leaves_the_nested_speaker_his_words(nlp, annotator):
    text = "For his part, Peter Lund said the UN was ready to help, according to a statement issued by the ministry."
    assert run(nlp, annotator, text) == [
        ("according_to", "according to", "For his part, Peter Lund said the UN was ready to help", "a statement", None),
        ("indirect", "said", "the UN was ready to help", "Peter Lund", "Peter Lund"),
    ]


def test_a_knowledge_base_namesake_does_not_rename_the_person_the_article_names(nlp, annotator):
    text = "UN envoy Ingrid Berg arrived in Damascus. Berg said the convoy was ready."
    start = text.rindex("Berg")
    namesake = Actor("Berg", start, start + 4, "Kristin Berg", "NOR", "GOV")
    (a,) = annotator.find(nlp(text), [namesake])
    assert a.speaker is not None
    assert (a.speaker.name, a.speaker.actor, a.speaker.kind) == ("Ingrid Berg", None, "person")


def test_an_organisation_around_the_name_gives_its_code_not_its_name(nlp, annotator):
    text = (
        "The pause will end, the head of the Operations Directorate of the General Staff, Colonel General Pavel "
        "Orlov, said. Orlov told reporters the corridors would close."
    )
    start, end = text.index("Operations"), text.index(", said")
    directorate = Actor(text[start:end], start, end, "Operations Directorate", "RUS", "MIL")
    got = [(a.speaker.text, a.speaker.name, a.speaker.actor) for a in annotator.find(nlp(text), [directorate])]
    assert got == [
        (
            "the head of the Operations Directorate of the General Staff",
            "Pavel Orlov",
            {"country": "RUS", "sector": "MIL"},
        ),
        ("Orlov", "Pavel Orlov", {"country": "RUS", "sector": "MIL"}),
    ]
