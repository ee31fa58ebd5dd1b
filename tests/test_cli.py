import json

import pytest
from typer.testing import CliRunner

from policykg.cli import app

from conftest import CORPUS, seed

runner = CliRunner()


@pytest.fixture()
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYKG_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    return tmp_path


def test_cli_extract_writes_apoc_json_lines(data):
    out = data / "out.jsonl"
    result = runner.invoke(app, ["extract", str(seed("002")), "--out", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    node = next(r for r in records if r["type"] == "node" and r["labels"] == ["Measure"])
    assert set(node) == {"type", "id", "labels", "properties"} and node["properties"]["document"] == seed("002").name
    rel = next(r for r in records if r["type"] == "relationship" and r["label"] == "LEADS")
    assert rel["start"]["labels"] == ["Agency"] and rel["end"]["labels"] == ["Measure"]
    assert not (data / "data").exists()   # extract touches no store


def test_cli_ingest_export_and_questions(data):
    assert runner.invoke(app, ["ingest", str(CORPUS)]).exit_code == 0
    assert runner.invoke(app, ["ingest", str(CORPUS)]).exit_code == 0
    out = data / "all.jsonl"
    assert runner.invoke(app, ["export", str(out)]).exit_code == 0
    assert sum(1 for _ in out.open(encoding="utf-8")) > 1000
    result = runner.invoke(app, ["backers", "多式联运监管中心"])
    assert result.exit_code == 0 and "试点地区" in result.output and "LEADS" in result.output
    result = runner.invoke(app, ["provisions", "开业申请", "人民币业务"])
    assert result.exit_code == 0 and "第三十四条" in result.output
    result = runner.invoke(app, ["backers", "不存在的措施文字"])
    assert result.exit_code == 1 and "no measure matches" in result.output


def test_cli_bad_file_is_reported_and_good_ones_loaded(data):
    bad = data / "坏 文件.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = runner.invoke(app, ["ingest", str(bad), str(seed("000"))])
    assert result.exit_code == 1
    assert "坏 文件.txt" in result.output and "binary" in result.output
    assert "1 loaded" in result.output and "1 failed" in result.output


def test_cli_help_lists_the_verbs():
    result = runner.invoke(app, ["--help"])
    for verb in ("extract", "ingest", "export", "serve", "backers", "provisions"):
        assert verb in result.output
