"""RawDocument -> Article: metadata decisions without fabrication, on pages written for the tests."""

from __future__ import annotations

import pytest

from eventdesk import errors
from eventdesk.ingest.article import build
from eventdesk.ingest.outlets import OutletRegistry
from eventdesk.ingest.readers import RawDocument

LEDE = "Russia on Wednesday vetoed a draft resolution on Aleppo at the UN Security Council in New York."
MORE = "The vote followed weeks of talks between the permanent members, which began in September 2016."


@pytest.fixture(scope="module")
def registry():
    return OutletRegistry.load()


def doc(text: str, kind: str = "text", **fields: str) -> RawDocument:
    return RawDocument("test", None, kind, text, dict(fields))  # type: ignore[arg-type]


def test_stated_in_a_header_line(registry):
    a, _ = build(doc(f"Russia vetoes Aleppo draft\n\nPublished: 19 October 2016, 14:35\n\n{LEDE}\n\n{MORE}"), registry)
    assert (a.published, a.published_certainty) == ("2016-10-19", "stated")
    assert a.title == "Russia vetoes Aleppo draft"
    assert a.text == f"{LEDE}\n\n{MORE}"


def test_stated_in_the_url_path(registry):
    page = f"Original url: https://news.example/world/2016/10/20/aleppo\n\n{LEDE}\n\n{MORE}"
    a, _ = build(doc(page), registry)
    assert (a.published, a.published_certainty, a.url) == (
        "2016-10-20",
        "stated",
        "https://news.example/world/2016/10/20/aleppo",
    )


def test_inferred_from_dateline_and_weekday(registry):
    a, _ = build(doc(f"MOSCOW, October 19. /TASS/. {LEDE}\n\n{MORE}"), registry)
    assert (a.published, a.published_certainty) == ("2016-10-19", "inferred")
    assert "Wednesday" in (a.published_note or "")
    assert a.dateline is not None and a.dateline.agency == "TASS"
    assert (a.outlet, a.outlet_source, a.outlet_country) == ("TASS", "dateline", "RUS")


def test_unknown_is_null_never_today(registry):
    a, _ = build(doc(f"{LEDE}\n\n{MORE}"), registry)
    assert (a.published, a.published_certainty, a.published_note) == (None, "unknown", None)


def test_record_fields_win_and_bad_record_date_is_reported(registry):
    a, problems = build(doc(f"{LEDE}\n\n{MORE}", "record", published="sometime", outlet="reuters", id="x1"), registry)
    assert (a.id, a.published, a.outlet, a.outlet_country) == ("x1", None, "Reuters", "GBR")
    assert [p.code for p in problems] == ["W106"]


def test_outlet_from_source_line_and_domain(registry):
    a, _ = build(doc(f"{LEDE}\n\n{MORE}\n\nSource: Reuters"), registry)
    assert (a.outlet, a.outlet_source, a.outlet_ownership) == ("Reuters", "source_line", "private")
    b, _ = build(doc(f"{LEDE}\n\n{MORE}\n\nOriginal url: https://www.aljazeera.com/news/x"), registry)
    assert (b.outlet, b.outlet_source) == ("Al Jazeera", "url")


def test_html_without_article_and_text_of_boilerplate_only(registry):
    with pytest.raises(errors.InputError) as exc:
        build(doc("<html><body><nav>Home</nav></body></html>", "html"), registry)
    assert exc.value.code == "E005"
    with pytest.raises(errors.InputError) as exc:
        build(doc("Share\n\nSubscribe to our newsletter\n\n© 2016 Example"), registry)
    assert exc.value.code == "E012"


def test_html_metadata(registry):
    html = (
        "<html><head><title>Veto on Aleppo</title><meta property='og:site_name' content='Al Jazeera'>"
        "<meta property='article:published_time' content='2016-10-19T10:00:00Z'></head><body><article>"
        f"<h1>Veto on Aleppo</h1><p>{LEDE}</p><p>{MORE}</p></article></body></html>"
    )
    a, _ = build(doc(html, "html"), registry)
    assert (a.published, a.published_certainty, a.published_note) == ("2016-10-19", "stated", "HTML metadata")
    assert a.title == "Veto on Aleppo" and a.outlet == "Al Jazeera" and LEDE in a.text
