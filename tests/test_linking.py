"""One project across sources: linking records (issue 20, first part)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from socialproj import Funding, Identifier, Money, Partner, Project, link

ROOT = Path(__file__).resolve().parents[1]


def card(title, code=None, partners=(), total=None):
    return Project(
        title=title,
        identifiers=[Identifier(None, code)] if code else [],
        partners=[
            Partner(name, "lead" if i == 0 else "partner") for i, name in enumerate(partners)
        ],
        funding=Funding(Money(total, "EUR")) if total else None,
    )


def test_a_project_code_links_whatever_its_spelling():
    records = [
        card({"en": "A"}, "ROBG-491"),
        card({"bg": "Б"}, "ROBG – 491"),
        card({"bg": "В"}, "RОBG 491"),  # a Cyrillic О
        card({"bg": "Г"}, "BG05M9OP001-2.002-0297-С01"),
        card({"bg": "Д"}, "BG05M9OP001-2.002-0297"),
    ]
    groups = link(records)
    assert [group.members for group in groups] == [(0, 1, 2), (3, 4)]
    assert groups[0].score == 1.0
    assert "the project code ROBG491" in groups[0].matches[0].evidence


def test_titles_and_a_second_sign_link_records_without_a_code():
    title = "Integrated risk management and efficient reactions of authorities"
    records = [
        card({"en": title}, partners=["Calarasi County"], total="2000000.00"),
        card({"en": title + " (RISK-MAN)"}, partners=["Calarasi County"], total="2000000.00"),
    ]
    [group] = link(records)
    evidence = " ".join(group.matches[0].evidence)
    assert "titles share" in evidence and "the total 2000000.00 EUR" in evidence


def test_the_same_partners_in_another_project_stay_apart():
    partners = ["Silistra Municipality", "Calarasi County Council"]
    records = [
        card({"en": "Common tourism products and cultural heritage"}, partners=partners),
        card({"en": "Flood risk prevention on the Danube shore"}, partners=partners),
    ]
    assert link(records) == []


def test_distinct_codes_are_never_linked_by_a_shared_word():
    records = [
        card({"en": "Social services for elderly people"}, "ROBG-101"),
        card({"en": "Social services for children"}, "ROBG-202"),
    ]
    assert link(records) == []


def test_the_link_command_writes_one_line_per_group(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [
        {"title": {"en": "HERCULT"}, "identifiers": [{"scheme": "ems", "value": "ROBG-491"}]},
        {"title": {"bg": "Херкулт"}, "identifiers": [{"value": "ROBG – 491"}]},
        {"title": {"en": "Alone"}},
    ]
    (folder / "a.jsonl").write_text(json.dumps(lines[0]) + "\n" + json.dumps(lines[2]) + "\n")
    (folder / "b.jsonl").write_text(json.dumps(lines[1], ensure_ascii=False) + "\n")
    (folder / "notes.txt").write_text("nothing a reader knows\n")
    out = tmp_path / "links.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "socialproj", "link", str(folder), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [group] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [Path(m["file"]).name for m in group["members"]] == ["a.jsonl", "b.jsonl"]
    assert group["members"][0]["line"] == 1 and group["score"] == 1.0
    assert group["matches"] == [
        {"members": [0, 1], "score": 1.0, "evidence": ["the project code ROBG491"]}
    ]
    assert "notes.txt: skipped" in done.stderr
    assert "4 records read" not in done.stderr and "3 records read" in done.stderr


# -- merging ----------------------------------------------------------------------------


def _read_seed(name):
    from socialproj import read

    return list(read(ROOT / "examples" / "seeds" / name, provenance=True))


def test_merging_the_card_and_the_news_keeps_every_value_and_says_where_they_disagree():
    from socialproj import merge

    [card] = _read_seed("003_3270b39fb2e9a5f9.txt")
    [news] = _read_seed("004_78d633e9fed709b8.txt")
    merged = merge([card, news])
    assert set(merged.title) == {"en", "bg"}  # both titles, each in its language
    assert {i.value for i in merged.identifiers} == {"ROBG-150", "16.5.2.065"}
    assert merged.period == card.period  # the first (preferred) source's
    [conflict] = [f for f in merged.source.findings if f.code == "merge.conflict"]
    assert conflict.path == "$.period"
    assert '"months":27' in conflict.data[f"{card.source.file}:1"]
    assert '"months":24' in conflict.data[f"{news.source.file}:1"]
    [provenance] = [f for f in merged.source.findings if f.code == "merge.provenance"]
    assert provenance.data["funding"] == f"{card.source.file}:1"  # only the card states it
    assert merged.source.format == "merge"


def test_the_members_findings_come_along_each_saying_where_it_was():
    from socialproj import Finding, Source, merge

    noted = Finding("import.placeholder", "info", "$.funding.total", "'-' read as not stated")
    a = Project(title={"en": "A"}, source=Source("csv", "list.csv", row=7, findings=[noted]))
    b = Project(title={"en": "A"}, source=Source("bg-news", "news.txt", line=1))
    merged = merge([a, b])
    [carried] = [f for f in merged.source.findings if f.code == "import.placeholder"]
    assert carried.message.endswith("(in list.csv row 7)")


def test_a_partner_named_two_ways_is_one_partner_after_merging():
    from socialproj import merge

    a = card({"en": "X"}, partners=["Silistra Municipality"])
    b = card({"bg": "Х"}, partners=["Община Силистра", "Calarasi County"])
    merged = merge([a, b])
    assert [p.name for p in merged.partners] == ["Silistra Municipality", "Calarasi County"]


def test_the_merge_command_writes_one_record_per_group_and_the_rest_with_all(tmp_path):
    out = tmp_path / "merged.jsonl"
    args = [sys.executable, "-m", "socialproj", "merge", str(ROOT / "examples" / "seeds")]
    done = subprocess.run([*args, "-o", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    done = subprocess.run(
        [*args, "-o", str(out), "--all"], capture_output=True, text=True, check=False
    )
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4  # 5 records, 2 merged
