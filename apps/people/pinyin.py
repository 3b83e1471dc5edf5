"""Pinyin keys for searching people by 拼音 or 首字母 ("zs" finds 张三)."""

from pypinyin import Style, lazy_pinyin

# Surnames whose reading differs from the character's common one.
_SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "翟": "zhai",
    "盖": "ge",
    "缪": "miao",
    "乐": "yue",
    "覃": "qin",
    "尉": "yu",
    "员": "yun",
}


def _syllables(name: str) -> list[str]:
    name = (name or "").strip()
    if not name:
        return []
    syl = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    if name[0] in _SURNAME_READINGS and syl:
        syl[0] = _SURNAME_READINGS[name[0]]
    return [s.lower() for s in syl]


def pinyin_of(name: str) -> str:
    return "".join(_syllables(name))


def initials_of(name: str) -> str:
    return "".join(s[0] for s in _syllables(name) if s)
