"""Cleaning plain-text copies of news pages: each kind of boilerplate, on pages written for the tests."""

from __future__ import annotations

import pytest

from eventdesk.ingest.clean import clean, parse_dateline

PAGE = """Home
World
Politics
All news

Russia vetoes UN draft on Aleppo truce

5 min read

By Jane Doe and John Roe in Beirut
October 19, 2016 14:35 GMT

Share
Subscribe to our newsletter

Russia vetoes UN draft on Aleppo truce

MOSCOW, October 19. /TASS/. Russia on Wednesday vetoed a draft resolution at the UN Security Council
that would have demanded a halt to air strikes over the besieged city of Aleppo, the ministry said.

Photo: Syrian civilians queue for bread. AFP/Getty Images

"We cannot accept this text," Deputy Foreign Minister Sergei Ryabkov told reporters in Moscow.

Aid access

The UN says 275,000 people remain trapped in the eastern part of the city, where food is running out.

Read more:
UN envoy warns of catastrophe
Aid convoys stalled at border

Tags: Syria, Russia, UN
Source: Example News
Original url: https://example.com/2016/10/19/russia-veto
© 2016 Example News. All rights reserved.
We use cookies to improve your experience on our site.
"""


@pytest.fixture(scope="module")
def page():
    return clean(PAGE)


def test_body_keeps_paragraphs_and_subheading(page):
    assert page.text.split("\n\n") == [
        "Russia on Wednesday vetoed a draft resolution at the UN Security Council that would have demanded a "
        "halt to air strikes over the besieged city of Aleppo, the ministry said.",
        '"We cannot accept this text," Deputy Foreign Minister Sergei Ryabkov told reporters in Moscow.',
        "Aid access",
        "The UN says 275,000 people remain trapped in the eastern part of the city, where food is running out.",
    ]


def test_metadata_kept(page):
    assert page.title == "Russia vetoes UN draft on Aleppo truce"
    assert page.url == "https://example.com/2016/10/19/russia-veto"
    assert page.source_names == ["Example News"]
    assert page.authors == ["Jane Doe", "John Roe"]
    assert page.date_lines == ["October 19, 2016 14:35 GMT"]
    assert page.dateline is not None
    assert (page.dateline.place, page.dateline.date_text, page.dateline.agency) == ("Moscow", "October 19", "TASS")


def test_removed_kinds(page):
    kinds = {kind for kind, _ in page.removed}
    assert {
        "nav_word",
        "reading_time",
        "byline",
        "date",
        "share",
        "subscribe",
        "headline",
        "photo",
        "read_more",
        "tags",
        "source",
        "url",
        "copyright",
        "cookie",
    } <= kinds
    removed = [line for _, line in page.removed]
    assert "UN envoy warns of catastrophe" in removed  # a related-link title under "Read more:"


@pytest.mark.parametrize(
    ("line", "place", "date", "agency", "rest"),
    [
        ("MOSCOW, October 19. /TASS/. Russia said", "Moscow", "October 19", "TASS", "Russia said"),
        ("BEIRUT (Reuters) - Syrian troops", "Beirut", None, "Reuters", "Syrian troops"),
        ("UNITED NATIONS, Oct 19 (AP) — The council", "United Nations", "Oct 19", "AP", "The council"),
        ("BEIRUT, Lebanon (AP) — The army", "Beirut, Lebanon", None, "AP", "The army"),
        ("GENEVA — The UN envoy", "Geneva", None, None, "The UN envoy"),
        ("(Reuters) - Russia said", None, None, "Reuters", "Russia said"),
        ("DAMASCUS, Oct. 19, 2016 (Xinhua) -- Syria", "Damascus", "Oct. 19, 2016", "Xinhua", "Syria"),
    ],
)
def test_datelines(line, place, date, agency, rest):
    dateline, body = parse_dateline(line)
    assert dateline is not None
    assert (dateline.place, dateline.date_text, dateline.agency, body) == (place, date, agency, rest)


@pytest.mark.parametrize("line", ["Russia said on Monday it would veto", "US officials said", "UN: talks fail"])
def test_not_datelines(line):
    assert parse_dateline(line) == (None, line)


def test_hard_wrapped_paragraphs_are_joined():
    text = (
        "The Security Council met on Wednesday to discuss the draft resolution that\n"
        "France and Spain had circulated, but the vote was delayed until Saturday at\n"
        "the request of several members.\n\nA second paragraph follows here with enough words in it."
    )
    out = clean(text)
    assert out.text.split("\n\n")[0].startswith("The Security Council met on Wednesday to discuss the draft resolution")
    assert "that France and Spain" in out.text
    assert out.text.count("\n\n") == 1


@pytest.mark.parametrize(
    "line",
    [
        "Jane Doe, Staff Writer",
        "Reporting by Tom Perry; Editing by Alison Williams",
        "Photo credit: Omar Sanadiki",
        "A boy walks past rubble in Aleppo. REUTERS/Abdalrhman Ismail",
        "Share on Facebook",
        "Facebook Twitter WhatsApp Email",
        "Related stories",
        "Tags: Syria, Aleppo",
        "Advertisement",
        "3 min read",
        "Home | World | Middle East",
        "© 2016 The Example Times",
        "All rights reserved.",
    ],
)
def test_boilerplate_line_removed(line):
    body = "The ministers met in Geneva on Saturday and agreed to continue the talks next week in Lausanne."
    out = clean(f"{body}\n\n{line}\n\n{body} Again.")
    assert line not in out.text
    assert out.text.count("The ministers met") == 2


def test_prose_mentioning_cookies_or_subscriptions_in_long_paragraph_is_kept():
    para = (
        "The ministry said the new subscription rules for satellite television would not apply to the besieged "
        "districts, where residents have been without electricity for weeks and rely on generators and cookies "
        "baked from aid flour, according to local council members who spoke by phone."
    )
    assert clean(para).text == para


def test_given_title_removes_repeated_headline_only():
    out = clean(
        "Aid reaches Aleppo\n\nAid reached the eastern districts of Aleppo on Monday, the UN said today.",
        title="Aid reaches Aleppo",
    )
    assert out.text == "Aid reached the eastern districts of Aleppo on Monday, the UN said today."


def test_page_false_keeps_short_lines():
    text = "Aid access\n\nAid reached the eastern districts of Aleppo on Monday, the UN said in Geneva."
    assert clean(text, page=False).text == text.replace("\n\n", "\n\n")


def test_text_without_spaces_is_not_taken_for_menus():
    jp = (
        "先日、不正に改造したiPhoneを販売したとして、"
        "商標法違反の疑いで20代の男性が逮捕されたというニュースを耳にしました。"
    )
    assert clean(f"{jp}\n\n{jp}").text == f"{jp}\n\n{jp}"


def test_a_page_without_prose_keeps_its_unlabelled_lines():
    text = "Stock Car 2018 calendar\n\n1st round: 10 March – Interlagos\n2nd round: 8 April – Curitiba"
    out = clean(text)
    assert "1st round: 10 March – Interlagos" in out.text and "2nd round: 8 April – Curitiba" in out.text


def test_bulleted_related_links_inside_the_body_are_removed():
    body = "The ministers met in Geneva on Saturday and agreed to continue the talks next week in Lausanne."
    page = (
        f"{body}\n\nRelated\n- Envoy warns of a long winter\n"
        '- Minister: the draft "does not reflect reality on the ground at all"\n\n'
        f"{body} Again."
    )
    out = clean(page)
    assert out.text == f"{body}\n\n{body} Again."
