"""The one sentence splitter: stops kept with their sentence, a lone stop belongs to none."""

from __future__ import annotations

from summariser.lexicon.sentences import CLAUSE_STOPS, sentence_pattern, sentence_spans


def _texts(text: str, stops: str = CLAUSE_STOPS + "\n", *, trim: bool = False) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text, stops, trim=trim)]


def test_stops_end_sentences_and_stay_with_them() -> None:
    assert _texts("受理12件。办结10件；其余在办\n下一段") == [
        "受理12件。",
        "办结10件；",
        "其余在办\n",
        "下一段",
    ]


def test_a_stop_after_a_stop_ends_nothing() -> None:
    assert _texts("办结了！？好") == ["办结了！", "好"]


def test_chosen_stops_and_a_window() -> None:
    text = "甲。乙；丙。丁"
    assert _texts(text, stops="。") == ["甲。", "乙；丙。", "丁"]
    assert [text[a:b] for a, b in sentence_spans(text, "。；", 2, 6)] == ["乙；", "丙。"]


def test_trim_drops_whitespace_around_and_blank_sentences() -> None:
    assert _texts("  甲。 \n  乙。", trim=True) == ["甲。", "乙。"]


def test_the_pattern_is_the_same_splitter() -> None:
    text = "一是建章立制。二是强化监督；三是"
    assert [m.group() for m in sentence_pattern().finditer(text)] == _texts(
        text, stops="。！？!?；;"
    )
