"""The output contract: real `analyze` output validates against docs/analysis.schema.json, offsets hold."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from eventdesk.engines import process
from eventdesk.ingest.readers import RawDocument, iter_inputs
from eventdesk.model import Analysis

from .conftest import DEMO

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "docs" / "analysis.schema.json").read_text())


@pytest.fixture(scope="module")
def demo_analyses(resources):
    items = [i for i in iter_inputs([str(DEMO / "corpus")]) if isinstance(i, RawDocument)]
    return [r for r in process(items, resources) if isinstance(r, Analysis)]


def test_demo_output_validates_against_the_schema(demo_analyses):
    assert len(demo_analyses) >= 12
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for analysis in demo_analyses:
        data = json.loads(json.dumps(analysis.to_dict()))
        errors = sorted(validator.iter_errors(data), key=str)
        assert not errors, (analysis.article.source_path, errors[:3])


def test_every_offset_points_into_the_cleaned_text(demo_analyses):
    for analysis in demo_analyses:
        text = analysis.article.text
        for item in [*analysis.times, *analysis.places, *analysis.actors, *analysis.quotes]:
            assert text[item.start : item.end] == item.text
        for event in analysis.events:
            assert text[event.evidence.start : event.evidence.end] == event.evidence.text


def test_round_trip(demo_analyses):
    for analysis in demo_analyses:
        assert Analysis.from_dict(json.loads(json.dumps(analysis.to_dict()))) == analysis


def test_schema_rejects_a_wrong_shape(demo_analyses):
    data = demo_analyses[0].to_dict()
    data["article"]["published_certainty"] = "probably"
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))
