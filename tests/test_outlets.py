"""The outlet registry: packaged data quality, the three lookups, and user CSVs."""

from __future__ import annotations

import csv
import functools
import os
from collections import Counter
from pathlib import Path

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventdesk.ingest.outlets import (
    COLUMNS,
    ENV_VAR,
    KINDS,
    OWNERSHIP,
    Outlet,
    OutletFileError,
    OutletRegistry,
    host_of,
    name_key,
)

PACKAGED = Path(__file__).resolve().parents[1] / "src" / "eventdesk" / "data" / "outlets.csv"

# Just enough of the world to check coverage per continent (Turkey, Russia and the Caucasus under
# their usual UN regions: Asia for Turkey and the Caucasus, Europe for Russia).
CONTINENTS = """
Africa: DZA AGO CIV CMR COD COG EGY ERI ETH GHA KEN LBY MAR NAM NGA SDN SEN SOM TUN TZA UGA ZAF ZWE
Asia: AFG ARE ARM AZE BGD BHR CHN HKG IDN IND IRN IRQ ISR JOR JPN KAZ KGZ KHM KOR KWT LAO LBN LKA MMR
Asia: MNG MYS OMN PAK PHL PRK PSE QAT SAU SGP SYR THA TJK TUR TWN UZB VNM
Europe: ALB AUT BEL BGR BLR CHE CYP CZE DEU DNK ESP FIN FRA GBR GRC HRV HUN ITA LVA MDA MKD NLD NOR
Europe: POL PRT ROU RUS SVK SVN SWE UKR VAT XKX
North America: CAN CUB MEX NIC USA
South America: ARG BOL BRA PER PRY VEN
Oceania: AUS FJI NZL PNG
"""
CONTINENT = {
    code: continent
    for continent, codes in (line.split(": ") for line in CONTINENTS.strip().splitlines())
    for code in codes.split()
}


@pytest.fixture(autouse=True)
def _no_env_outlets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.fixture(scope="module")
def registry() -> OutletRegistry:
    return OutletRegistry.load()


def write_csv(path: Path, rows: list[list[str]], header: tuple[str, ...] = COLUMNS) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


# --- the packaged data -------------------------------------------------------------------------------


def test_packaged_file_has_the_documented_header() -> None:
    with open(PACKAGED, encoding="utf-8") as fh:
        assert fh.readline().strip() == ",".join(COLUMNS)


def test_at_least_150_outlets_every_row_complete(registry: OutletRegistry) -> None:
    assert len(registry) >= 150
    for o in registry:
        assert o.country and o.ownership in OWNERSHIP and o.kind in KINDS, o.name
        assert o.country == "XKX" or pycountry.countries.get(alpha_3=o.country), o.name


def test_every_continent_has_a_wire_agency_and_a_state_controlled_outlet(registry: OutletRegistry) -> None:
    wires = {CONTINENT[o.country] for o in registry if o.kind == "wire_agency" and o.country in CONTINENT}
    state = {CONTINENT[o.country] for o in registry if o.ownership == "state_controlled" and o.country in CONTINENT}
    continents = {"Africa", "Asia", "Europe", "North America", "South America", "Oceania"}
    assert wires == continents
    assert state == continents


def test_no_name_variant_or_domain_is_claimed_twice(registry: OutletRegistry) -> None:
    keys: Counter[str] = Counter()
    domains: Counter[str] = Counter()
    for o in registry:
        keys.update({name_key(label) for label in (o.name, *o.variants)})
        domains.update(o.domains)
    assert [k for k, n in keys.items() if n > 1] == []
    assert [d for d, n in domains.items() if n > 1] == []


def test_every_outlet_is_found_by_its_own_name_and_domains(registry: OutletRegistry) -> None:
    for o in registry:
        assert registry.by_name(o.name) is o
        for d in o.domains:
            assert registry.by_domain(d) is o


@pytest.mark.parametrize(
    ("name", "country", "ownership", "kind"),
    [
        ("TASS", "RUS", "state_controlled", "wire_agency"),
        ("Xinhua", "CHN", "state_controlled", "wire_agency"),
        ("Associated Press", "USA", "cooperative", "wire_agency"),
        ("Reuters", "GBR", "private", "wire_agency"),
        ("BBC", "GBR", "public_broadcaster", "broadcaster"),
        ("Rodong Sinmun", "PRK", "party", "newspaper"),
        ("Koha Ditore", "XKX", "private", "newspaper"),
    ],
)
def test_known_facts(registry: OutletRegistry, name: str, country: str, ownership: str, kind: str) -> None:
    o = registry.by_name(name)
    assert o is not None
    assert (o.country, o.ownership, o.kind) == (country, ownership, kind)


# --- by_name -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("the guardian", "The Guardian"),
        ("GUARDIAN", "The Guardian"),
        ("Reuters", "Reuters"),
        ("ТАСС", "TASS"),
        ("itar-tass", "TASS"),
        ("A.F.P.", "Agence France-Presse"),
        ("agence france presse", "Agence France-Presse"),
        ("El Pais", "El País"),
        ("Mail and Guardian", "Mail & Guardian"),
        ("新华社", "Xinhua"),
        ("New York Times", "The New York Times"),
        ("ABC (Australia)", "ABC (Australia)"),
    ],
)
def test_by_name(registry: OutletRegistry, query: str, expected: str) -> None:
    o = registry.by_name(query)
    assert o is not None and o.name == expected


@pytest.mark.parametrize("query", ["", "  ", "...", "Daily Planet", "ABC"])
def test_by_name_unknown_or_ambiguous_is_none(registry: OutletRegistry, query: str) -> None:
    assert registry.by_name(query) is None


def test_name_key() -> None:
    assert name_key("U.S. News & World Report") == "us news and world report"
    assert name_key("Süddeutsche  Zeitung!") == "suddeutsche zeitung"


# --- by_domain -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cnn.com", "CNN"),
        ("edition.cnn.com", "CNN"),
        ("https://www.bbc.co.uk/news/world-europe-123", "BBC"),
        ("HTTP://M.SPIEGEL.DE/politik", "Der Spiegel"),
        ("amp.theguardian.com", "The Guardian"),
        ("tass.ru:443", "TASS"),
        ("http://user@tass.com/path?q=1#x", "TASS"),
        ("english.news.cn", "Xinhua"),
        ("https://economictimes.indiatimes.com/news", "The Economic Times"),
        ("timesofindia.indiatimes.com", "The Times of India"),
        ("cnn.com.", "CNN"),
    ],
)
def test_by_domain(registry: OutletRegistry, query: str, expected: str) -> None:
    o = registry.by_domain(query)
    assert o is not None and o.name == expected


@pytest.mark.parametrize(
    "query", ["notcnn.com", "cnn.com.evil.example", "indiatimes.com", "com", "", "localhost", "http://", "[::1"]
)
def test_by_domain_no_match(registry: OutletRegistry, query: str) -> None:
    assert registry.by_domain(query) is None


def test_host_of() -> None:
    assert host_of("https://www.m.example.org:8080/a") == "example.org"
    assert host_of("https://www.пример.рф/новости") == "xn--e1afmkfd.xn--p1ai"  # IDN hosts compare as punycode
    assert host_of("www.com") == "www.com"  # a prefix is only stripped while a registrable domain remains


# --- find_in_text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Source: Reuters", "Reuters"),
        ("(Reuters) - The central bank raised rates.", "Reuters"),
        ("WASHINGTON (AP) — Senators voted.", "Associated Press"),
        ("MOSCOW, October 19. /TASS/.", "TASS"),
        ("By Sana Khan, Associated Press of Pakistan", "Associated Press of Pakistan"),
        ("according to the Guardian", "The Guardian"),
        ("Copyright AGENCE FRANCE-PRESSE 2016", "Agence France-Presse"),
        ("reported al-Jazeera on Monday", "Al Jazeera"),
        ("Mail & Guardian reporters", "Mail & Guardian"),
        ("新华社北京10月19日电", "Xinhua"),
        ("Reporting by Reuters; additional reporting by AP", "Reuters"),
    ],
)
def test_find_in_text(registry: OutletRegistry, line: str, expected: str) -> None:
    o = registry.find_in_text(line)
    assert o is not None and o.name == expected


@pytest.mark.parametrize(
    "line",
    [
        "the sun rose over the hills",  # The Sun only when capitalised
        "a map of the area",  # MAP (Maghreb Arabe Presse) only in capitals
        "Mail; Guardian",  # two words split by a semicolon are not "Mail & Guardian"
        "Reutersville",  # whole words only
        "",
    ],
)
def test_find_in_text_no_match(registry: OutletRegistry, line: str) -> None:
    assert registry.find_in_text(line) is None


# --- user files ----------------------------------------------------------------------------------------


def test_user_csv_extends_and_overrides(tmp_path: Path, registry: OutletRegistry) -> None:
    path = write_csv(
        tmp_path / "mine.csv",
        [
            ["Daily Bugle", "The Bugle|DB", "dailybugle.example", "usa", "private", "newspaper", "local"],
            ["reuters", "Reuters Wire", "reuters.example", "", "", "", ""],
        ],
    )
    reg = OutletRegistry.load([path])
    assert len(reg) == len(registry) + 1
    bugle = reg.by_name("the bugle")
    assert bugle == Outlet(
        "Daily Bugle", ("The Bugle", "DB"), ("dailybugle.example",), "USA", "private", "newspaper", "local"
    )
    assert reg.by_domain("news.dailybugle.example") is bugle
    assert reg.find_in_text("Source: Daily Bugle") is bugle
    reuters = reg.by_name("Reuters Wire")
    assert (
        reuters is not None and reg.by_domain("reuters.com") is reuters and reg.by_domain("reuters.example") is reuters
    )
    assert (reuters.country, reuters.ownership, reuters.kind) == ("GBR", "private", "wire_agency")  # empty cells keep
    assert registry.by_name("Reuters Wire") is None  # the packaged registry is untouched


def test_user_row_can_change_a_classification_and_claim_a_variant(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "mine.csv",
        [
            ["Central News Agency (Taiwan)", "CNA", "", "", "", "", ""],
            ["Al Jazeera", "", "", "", "private", "", "our study codes it private"],
        ],
    )
    reg = OutletRegistry.load([path])
    cna = reg.by_name("CNA")
    assert cna is not None and cna.country == "TWN"
    aj = reg.by_name("Al Jazeera")
    assert aj is not None and (aj.ownership, aj.notes) == ("private", "our study codes it private")


def test_later_files_win(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", [["Local Times", "", "", "", "private", "newspaper", ""]])
    b = write_csv(tmp_path / "b.csv", [["Local Times", "", "", "", "nonprofit", "", ""]])
    o = OutletRegistry.load([a, b]).by_name("local times")
    assert o is not None and (o.ownership, o.kind) == ("nonprofit", "newspaper")


def test_env_var_files_load_before_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env1 = write_csv(tmp_path / "env1.csv", [["Valley Voice", "", "valleyvoice.example", "", "private", "", ""]])
    env2 = write_csv(tmp_path / "env2.csv", [["Hill Crier", "", "", "", "", "", ""]])
    extra = write_csv(tmp_path / "extra.csv", [["Valley Voice", "", "", "", "cooperative", "", ""]])
    monkeypatch.setenv(ENV_VAR, f"{env1}{os.pathsep}{env2}")
    reg = OutletRegistry.load([extra])
    voice = reg.by_domain("valleyvoice.example")
    assert voice is not None and voice.ownership == "cooperative"
    assert reg.by_name("Hill Crier") is not None


def test_user_domain_in_unicode_matches_punycode_host(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "idn.csv", [["Primer", "", "пример.рф", "RUS", "private", "online", ""]])
    o = OutletRegistry.load([path]).by_domain("https://news.xn--e1afmkfd.xn--p1ai/a")
    assert o is not None and o.name == "Primer" and o.domains == ("xn--e1afmkfd.xn--p1ai",)


def test_minimal_header_with_only_name(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "names.csv", [["Town Crier"]], header=("name",))
    o = OutletRegistry.load([path]).by_name("Town Crier")
    assert o == Outlet("Town Crier", (), (), None, None, None, "")


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        (
            [["Good Paper", "", "", "", "private", "", ""], ["Bad Paper", "", "", "", "government", "", ""]],
            3,
            "ownership",
        ),
        ([["", "Nameless", "", "", "private", "", ""]], 2, "`name` cell is empty"),
        ([["Bad Paper", "", "", "ZZZ", "", "", ""]], 2, "country 'ZZZ'"),
        ([["Bad Paper", "", "", "", "", "blog", ""]], 2, "kind 'blog'"),
        ([["Bad Paper", "", "https://bad.example/x", "", "", "", ""]], 2, "domain"),
        ([["Bad Paper", "", "", "", "", "", "", "extra"]], 2, "expected 7 fields"),
        ([["Same", "", "", "", "", "", ""], ["same", "", "", "", "", "", ""]], 3, "repeats line 2"),
    ],
)
def test_malformed_user_csv_names_file_and_line(tmp_path: Path, rows: list[list[str]], line: int, reason: str) -> None:
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(ValueError, match=r"bad\.csv") as info:
        OutletRegistry.load([path])
    assert isinstance(info.value, OutletFileError)
    assert info.value.line == line
    assert reason in str(info.value)
    assert f"line {line}" in str(info.value)


def test_bad_header_and_missing_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", [["x", "y"]], header=("title", "url"))
    with pytest.raises(OutletFileError, match="no `name` column"):
        OutletRegistry.load([path])
    path = write_csv(tmp_path / "h2.csv", [["x", "y"]], header=("name", "owner"))
    with pytest.raises(OutletFileError, match="unknown column"):
        OutletRegistry.load([path])
    with pytest.raises(OutletFileError, match="cannot read"):
        OutletRegistry.load([tmp_path / "missing.csv"])


def test_malformed_env_file_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = write_csv(tmp_path / "env-bad.csv", [["Paper", "", "", "", "state", "", ""]])
    monkeypatch.setenv(ENV_VAR, str(bad))
    with pytest.raises(OutletFileError, match=r"env-bad\.csv, line 2"):
        OutletRegistry.load()


@functools.cache
def _shared_registry() -> OutletRegistry:
    return OutletRegistry.load()


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_lookups_never_raise_on_arbitrary_input(text: str) -> None:
    reg = _shared_registry()
    for result in (reg.by_name(text), reg.by_domain(text), reg.find_in_text(text)):
        assert result is None or isinstance(result, Outlet)
