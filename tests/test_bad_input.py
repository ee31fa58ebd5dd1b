"""Whatever analysts download: a corpus of malformed and hostile files, made here, ingested
beside the good seeds by the real CLI. Each bad file gets one line naming it and the
cause, every good file is loaded, the exit code says something failed, and a summary
counts loaded, skipped and failed files."""
import io
import os
import re
import subprocess
import sys
import time
import zipfile

import pytest

from conftest import CORPUS, ROOT, seed

FAIL, LOAD, EITHER = "fail", "load", "either"


def _docx(paragraphs=(), table=None) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    return buf.getvalue()


def _scanned_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(50, 50, 400, 600, fill=1)    # an image-like page: no text layer
    c.showPage()
    c.save()
    return buf.getvalue()


def build(folder):
    """Write the hostile corpus; returns {file name: expectation}."""
    plan = seed("000").read_text(encoding="utf-8")
    plan_utf8 = plan.encode("utf-8")
    plan_gb = plan.encode("gb18030")
    files = {
        "empty.txt": (b"", FAIL),
        "blank lines.txt": (b"\n \n\t\n", FAIL),
        "bom-only.txt": (b"\xef\xbb\xbf", FAIL),
        "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000), FAIL),
        "truncated-utf8.txt": (plan_utf8[: len(plan_utf8) // 2 + 1], LOAD),
        "truncated-gb18030.txt": (plan_gb[: len(plan_gb) // 2 + 1], LOAD),
        "mixed-encodings.txt": (plan_utf8[:3000] + plan_gb[3000:6000], EITHER),
        "utf16.txt": (plan.encode("utf-16"), LOAD),
        "huge.txt": (b"a" * (21 * 1024 * 1024), FAIL),
        "one-line.txt": (("推动服务贸易创新发展" * 500_000).encode("utf-8"), EITHER),
        "control-chars.txt": (("\x07\x1b\x08" * 1000 + plan).encode("utf-8"), EITHER),
        "nul-in-the-middle.txt": (plan_utf8[:6000] + b"\x00\x00" + plan_utf8[6000:], EITHER),
        "latin1.txt": (("Résumé café naïve " * 500).encode("latin-1"), EITHER),
        "ragged-table.txt": ("试点任务\t具体举措\t责任单位\n推进试点。\n\t加强统筹。\t商务部牵头\t多余\t更多\n\t\t\n".encode(), LOAD),
        "wide-table.txt": ("\t".join(["推动"] * 3000).encode(), EITHER),
        "deep-numbering.txt": ("\n".join(f"{'（' + str(i) + '）' if i % 2 else str(i) + '．'}推动发展。" for i in range(1, 400)).encode(), LOAD),
        "no measures.txt": ("今天天气很好，我们去公园散步。\n公园里有很多人。".encode(), LOAD),
        "空格 文件名 方案.txt": (plan_utf8, LOAD),
        "scripts.html": (("<html><head><script>" + "var x=1;" * 5000 + "</script><style>p{}</style></head><body>"
                          "<nav>首页 | 政策</nav><div>" + plan.replace("\n", "<br>") + "</div>"
                          "<script>alert('x')</script><footer>版权所有</footer></body></html>").encode(), LOAD),
        "nested.html": (("<html><body>" + "<div>" * 10_000 + "推动服务贸易发展。" + "</div>" * 10_000 + "</body></html>").encode(), EITHER),
        "empty-body.html": (b"<html><body>   </body></html>", EITHER),
        "gbk-page.html": (("<html><head><meta charset='gbk'></head><body><p>" + plan.replace("\n", "</p><p>") +
                           "</p></body></html>").encode("gb18030"), LOAD),
        "not-a-zip.docx": (b"this is not a word document", FAIL),
        "bomb.docx": (_bomb(), FAIL),
        "empty.docx": (_docx(), EITHER),
        "table.docx": (_docx(["深化试点任务"], [["试点任务", "责任单位"], ["推进服务贸易创新发展。", "商务部牵头"]]), LOAD),
        "scan.pdf": (_scanned_pdf(), FAIL),
        "corrupt.pdf": (b"%PDF-1.4\n1 0 obj garbage\n%%EOF", FAIL),
        "truncated.docx": (_docx([plan[:2000]])[:3000], FAIL),
        "old-format.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, FAIL),
        "unreadable.txt": (plan_utf8, FAIL if os.geteuid() != 0 else EITHER),
        "dangling-link.txt": (None, FAIL),
    }
    expect = {}
    for name, (data, expectation) in files.items():
        path = folder / name
        if data is None:
            path.symlink_to(folder / "gone-away.txt")
        else:
            path.write_bytes(data)
        if name == "unreadable.txt":
            path.chmod(0)
        expect[name] = expectation
    return expect


@pytest.mark.slow
def test_bad_input_each_bad_file_one_line_and_good_files_loaded(tmp_path):
    bad = tmp_path / "downloads"
    bad.mkdir()
    expect = build(bad)
    assert len(expect) >= 30
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["POLICYKG_DATA"] = str(tmp_path / "data")
    files = [str(p) for p in sorted(bad.iterdir())] + [str(p) for p in sorted(CORPUS.glob("*.txt"))]
    t = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "policykg.cli", "ingest", *files], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - t
    failed_lines = [line for line in result.stderr.splitlines() if line.startswith("FAILED ")]
    failed = {}
    for line in failed_lines:
        m = re.match(r"FAILED (.+?): (.+)$", line)
        assert m, f"not one clear line: {line!r}"
        failed.setdefault(os.path.basename(m.group(1)), []).append(m.group(2))
    assert result.returncode == 1, result.stderr[-2000:]
    for name, expectation in expect.items():
        if expectation == FAIL:
            assert name in failed, f"{name} should have failed with a cause:\n{result.stderr[-3000:]}"
            assert len(failed[name]) == 1 and failed[name][0].strip()
        elif expectation == LOAD:
            assert name not in failed, f"{name} should load: {failed.get(name)}"
    assert not set(failed) & {p.name for p in CORPUS.glob("*.txt")}
    summary = re.search(r"(\d+) files: (\d+) loaded .*?(\d+) without measures, (\d+) failed", result.stderr)
    assert summary, result.stderr[-1000:]
    total, loaded, skipped, nfailed = map(int, summary.groups())
    assert total == len(files) and nfailed == len(failed) and loaded + nfailed == total
    # Every good file is in the store.
    out = tmp_path / "all.jsonl"
    subprocess.run([sys.executable, "-m", "policykg.cli", "export", str(out)], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    exported = out.read_text(encoding="utf-8")
    for p in CORPUS.glob("*.txt"):
        assert f'"document": "{p.name}"' in exported
    print(f"\n{total} files tried: {loaded} loaded ({skipped} without measures), {nfailed} failed, "
          f"each with one line; {seconds:.1f} s")


def test_bad_input_limits_are_settings(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from policykg.cli import app

    monkeypatch.setenv("POLICYKG_DATA", str(tmp_path / "d"))
    monkeypatch.setenv("POLICYKG_MAX_FILE_BYTES", "1000")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    result = CliRunner().invoke(app, ["ingest", str(seed("000"))])
    assert result.exit_code == 1 and "1,000-byte limit" in result.output
