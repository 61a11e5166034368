"""`eval answers --sets kqa` scores the answer and, as its baseline, the top three search passages."""

import json
from pathlib import Path

import pytest

from medcite.engine import Medcite
from medcite.evaluate.answers import eval_kqa
from medcite.models.judges import LexicalJudge

pytestmark = pytest.mark.integration


def test_kqa_reports_the_top_three_passages_beside_the_answer(om_settings, tmp_path: Path) -> None:
    # K-QA's own format (Question / Must_have), our own rows: one question the corpus covers, one
    # about a drug it never mentions (the answer abstains; the passages still get scored).
    shared = tmp_path / "shared"
    (shared / "k-qa").mkdir(parents=True)
    rows = [
        {"Question": "What helps a gout flare?", "Must_have": ["Colchicine can treat a gout flare."]},
        {"Question": "Is zorbexafil safe with grapefruit?", "Must_have": ["Zorbexafil interacts with grapefruit."]},
    ]
    (shared / "k-qa" / "questions_w_answers.dev.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    settings = om_settings.model_copy(deep=True)
    settings.shared_data = shared
    mc = Medcite(settings)
    try:
        summary = eval_kqa(mc, LexicalJudge(), 0).summary()
    finally:
        mc.close()
    assert summary["n"] == 2
    for key in ("comprehensiveness", "contradiction_rate", "top3_comprehensiveness", "top3_contradiction"):
        assert 0.0 <= summary[key] <= 1.0, (key, summary)
    assert summary["abstained"] == 0.5, summary
