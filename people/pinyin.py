"""Search keys from names: 张三 is found by "zhangsan", "zhang san" and "zs", and 王伟军 by
each pair of its characters ("王伟", "伟军") as a word of its own: a two-character search is
then a whole word of the key (``LIKE '% 王伟 %'``), which PostgreSQL's trigram index finds
(a pattern of two characters alone has no trigram to look up; three or more are found in
the name itself). Characters with
a different reading as a surname (单 dan/shan, 曾 ceng/zeng, 区 qu/ou…) give both readings for
the first character, so a name is found however the searcher reads it; the other characters
take their usual reading. The surname readings are a short
list of our own: pypinyin's heteronym table also offers rare readings (邓 shan, 董 zhong)
that would make searches match the wrong people."""

import functools
from itertools import islice, product

from pypinyin import Style, pinyin

MAX_VARIANTS = 8
# Characters read differently as surnames than in ordinary words.
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "区": "ou", "仇": "qiu", "解": "xie", "查": "zha", "乐": "yue",
    "朴": "piao", "翟": "zhai", "盖": "ge", "缪": "miao", "覃": "qin", "尉": "yu", "秘": "bi",
    "折": "she", "种": "chong", "召": "shao", "员": "yun", "宓": "mi", "繁": "po", "句": "gou",
    "能": "nai", "阚": "kan", "华": "hua", "纪": "ji", "过": "guo", "隗": "wei", "长": "chang",
    "重": "chong", "便": "pian", "都": "du", "万": "wan", "石": "shi", "车": "che", "沈": "shen",
}


@functools.lru_cache(maxsize=16384)
def _reading(char: str) -> str:
    """The usual reading of one character (a name's characters are read one by one: a
    name is not a phrase, and this keeps a large import fast)."""
    return pinyin(char, style=Style.NORMAL, errors="default")[0][0]


def pair_word(query: str) -> str:
    """How a two-character query is found in the key: as a whole word."""
    return f" {query} "


@functools.lru_cache(maxsize=65536)
def search_key(name: str) -> str:
    """The words ``name`` is found by, space-separated: first (after a space) each pair of
    its characters, then the lowercase full spellings and initials."""
    name = "".join(name.split())
    if not name:
        return ""
    pairs = " ".join(dict.fromkeys(name[i:i + 2] for i in range(len(name) - 1)))
    return ((f" {pairs} " if pairs else "") + _spellings(name))[:400]


def _spellings(name: str) -> str:
    """The lowercase full spellings and initials of ``name`` (no spaces in it)."""
    if name[0] not in SURNAME_READINGS:  # one reading (most names): no combinations to make
        parts = [_reading(ch) for ch in name]
        full = "".join(parts).lower()
        initials = "".join(p[0] for p in parts if p).lower()
        return " ".join(sorted({w for w in (full, initials) if w}))[:400]
    usual = [[_reading(ch)] for ch in name]
    readings = usual
    if usual and name[0] in SURNAME_READINGS:
        readings = [sorted(set(usual[0]) | {SURNAME_READINGS[name[0]]}), *usual[1:]]
    full = {"".join(parts) for parts in islice(product(*readings), MAX_VARIANTS)}
    initials = {"".join(p[0] for p in parts if p) for parts in islice(product(*readings),
                                                                       MAX_VARIANTS)}
    words = sorted(w.lower() for w in full | initials if w)
    return " ".join(words)[:400]


def normalise_query(query: str) -> str:
    """What a pinyin query looks like in the key: lowercase, no spaces."""
    return "".join(query.lower().split())
