"""The duty lexicon (data/duty_words.tsv): a new wording is one line of data."""
import shutil

from policykg.extractors.entities import Recogniser
from policykg.extractors.gazetteer import DATA_DIR, Gazetteer, default_gazetteer
from policykg.extractors.roles import cell_roles

DUTIES = default_gazetteer().duties


def test_duties_longest_verb_wins():
    assert DUTIES.cell_verb("负责落实政策保障") == ("cooperate", True)
    assert DUTIES.cell_verb("负责推进并落实政策保障") == ("lead", False)
    assert DUTIES.cell_verb("指导") == ("cooperate", False)
    assert DUTIES.cell_verb("等单位") is None
    assert DUTIES.prose_role("要积极予以支持") == "cooperate"
    assert DUTIES.prose_role("要会同有关部门研究") == "lead"


def test_duties_a_new_label_is_one_line_of_data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    text = "主管单位：商务部；协理单位：财政部"
    rec = Recogniser(default_gazetteer())
    before = sorted((r.mention.name, r.role) for r in cell_roles(text, 0, len(text), rec.agencies(text, None),
                                                                 duties=rec.gaz.duties))
    assert before == [("商务部", "lead"), ("财政部", "lead")]         # unknown labels: every body leads
    with open(folder / "duty_words.tsv", "a", encoding="utf-8") as fh:
        fh.write("主管单位\tlead\tlabel,paren\n协理单位\tcooperate\tlabel,paren\n")
    gaz = Gazetteer.load(folder)
    after = sorted((r.mention.name, r.role) for r in cell_roles(text, 0, len(text), rec.agencies(text, None),
                                                                duties=gaz.duties))
    assert after == [("商务部", "lead"), ("财政部", "cooperate")]
