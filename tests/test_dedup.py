"""Exact and near duplicates: syndicated copies point at the first article, unrelated articles do not."""

from __future__ import annotations

from eventdesk.ingest import dedup
from eventdesk.ingest.article import article_id, content_hash
from eventdesk.model import Article

BODY = (
    "Russia on Wednesday vetoed a draft resolution at the UN Security Council that would have demanded an end "
    "to air strikes over Aleppo and a seven-day humanitarian pause. Eleven members voted in favour, two against "
    "and two abstained. France's foreign minister said the veto was a blow to the people of the city, while "
    "Russia's envoy accused the sponsors of presenting a text they knew would fail. The UN envoy said the "
    "organisation was ready to evacuate the wounded as soon as all sides gave guarantees."
)
OTHER = (
    "The central bank left interest rates unchanged on Thursday, citing slowing inflation and a weaker labour "
    "market, and said it would review its bond purchases at the next meeting in December. Analysts had expected "
    "the decision, and markets barely moved after the announcement, while the currency eased slightly against "
    "the dollar in afternoon trading in London and New York."
)


def art(text: str, outlet: str) -> Article:
    return Article(id=article_id(text, outlet), text=text, outlet=outlet, content_hash=content_hash(text))


def _add(index: dedup.MemoryIndex, a: Article) -> tuple[str | None, str | None]:
    dup_of, kind, sig, keys = dedup.check(a, index)
    if dup_of is None:
        index.add(a.id, a.content_hash, sig, keys)
    return dup_of, kind


def test_exact_copy_from_another_outlet_is_its_own_record_marked_exact():
    index = dedup.MemoryIndex()
    first, copy = art(BODY, "Atlas Wire"), art(BODY, "Prairie Gazette")
    assert first.id != copy.id
    assert _add(index, first) == (None, None)
    assert _add(index, copy) == (first.id, "exact")


def test_syndicated_copy_with_an_edit_is_near_duplicate_of_the_original():
    index = dedup.MemoryIndex()
    original = art(BODY, "Atlas Wire")
    edited = art(BODY.replace("Eleven members voted in favour", "Eleven of fifteen members backed it"), "Gazette")
    second_copy = art(BODY.replace("said the veto", "called the veto"), "Herald")
    assert _add(index, original) == (None, None)
    assert _add(index, edited) == (original.id, "near")
    assert _add(index, second_copy) == (original.id, "near")  # copies point at the original, not at a copy


def test_unrelated_and_short_texts_are_not_duplicates():
    index = dedup.MemoryIndex()
    assert _add(index, art(BODY, "A")) == (None, None)
    assert _add(index, art(OTHER, "B")) == (None, None)
    short = "Russia vetoed the draft."
    assert _add(index, art(short, "C")) == (None, None)
    assert _add(index, art(short + " Again.", "D")) == (None, None)


def test_signature_round_trips_through_bytes():
    sig = dedup.signature(BODY)
    assert (dedup.unpack(dedup.pack(sig)) == sig).all()
    assert dedup.similarity(sig, dedup.signature(BODY)) == 1.0
