"""The Simplified Chinese catalogue is complete, well formed and compiled.

zh-hans is the default language, so every UI string must be translated. The .po file is
read with a small standard-library parser (msgctxt, msgid, msgid_plural, msgstr,
msgstr[n], multi-line strings, flags); no database is needed.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

# %(name)s, %(n)d, %s, %d, %5.2f …, but not the escaped %%.
PYTHON_FORMAT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
                           r"[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])")
BRACE_FORMAT = re.compile(r"(?<!\{)\{(\w*)(?:[!:][^{}]*)?\}(?!\})")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def _unquote(token: str, lineno: int) -> str:
    token = token.strip()
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"line {lineno}: expected a quoted string, got {token!r}")
    # PO strings use C escapes (\n, \t, \", \\); Python's literal syntax reads them alike.
    return ast.literal_eval(token)


def parse_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None  # the string continuation lines extend

    def finish():
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    keyword = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$")
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):  # obsolete entry
            continue
        match = keyword.match(line)
        starts_entry = line.startswith("#") or (match and match.group(1) in ("msgctxt", "msgid"))
        if starts_entry and target is not None and target[0] == "msgstr":
            finish()  # the previous entry had no blank line after it
        if line.startswith("#"):
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if match:
            word, index, value = match.groups()
            text = _unquote(value, lineno)
            if target is None:
                entry.line = lineno
            if word == "msgctxt":
                entry.msgctxt, target = text, ("msgctxt", None)
            elif word == "msgid":
                entry.msgid, target = text, ("msgid", None)
            elif word == "msgid_plural":
                entry.msgid_plural, target = text, ("msgid_plural", None)
            elif index is None:
                entry.msgstr, target = text, ("msgstr", None)
            else:
                entry.msgstr_plural[int(index)], target = text, ("msgstr", int(index))
            continue
        if line.startswith('"') and target is not None:
            text = _unquote(line, lineno)
            name, index = target
            if name == "msgctxt":
                entry.msgctxt += text
            elif name == "msgid":
                entry.msgid += text
            elif name == "msgid_plural":
                entry.msgid_plural += text
            elif index is None:
                entry.msgstr += text
            else:
                entry.msgstr_plural[index] += text
            continue
        raise ValueError(f"{path}:{lineno}: cannot parse {raw!r}")
    finish()
    return entries


def _header(entries: list[Entry]) -> dict[str, str]:
    header = next(e for e in entries if e.is_header)
    fields = {}
    for line in header.msgstr.splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def _python_placeholders(text: str) -> tuple[set[str], list[str]]:
    """Named placeholders as a set, positional ones (their conversions) in order."""
    named, positional = set(), []
    for m in PYTHON_FORMAT.finditer(text):
        if m.group("conv") == "%":
            continue
        if m.group("name") is not None:
            named.add(f"%({m.group('name')}){m.group('conv')}")
        else:
            positional.append(m.group("conv"))
    return named, positional


def _where(entry: Entry) -> str:
    return f"{PO_FILE.name}:{entry.line} {entry.msgid!r}"


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO_FILE)


@pytest.fixture(scope="module")
def messages(entries) -> list[Entry]:
    return [e for e in entries if not e.is_header]


def test_the_parser_reads_multi_line_and_plural_entries(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#, python-format\nmsgid ""\n"Two "\n"lines %(n)s"\nmsgstr "两行 \\"%(n)s\\""\n\n'
        'msgid "%(n)s unit"\nmsgid_plural "%(n)s units"\nmsgstr[0] ""\n"%(n)s 个单位"\n',
        encoding="utf-8",
    )
    header, multi, plural = parse_po(po)
    assert header.is_header and _header([header]) == {"Language": "zh_Hans"}
    assert (multi.msgid, multi.msgstr, multi.flags) == ("Two lines %(n)s", '两行 "%(n)s"',
                                                        {"python-format"})
    assert plural.msgid_plural == "%(n)s units" and plural.msgstr_plural == {0: "%(n)s 个单位"}


def test_the_catalogue_has_messages(messages):
    assert len(messages) > 100
    assert len({e.key for e in messages}) == len(messages), "a msgid appears twice"


def test_the_header_is_for_simplified_chinese(entries):
    header_entry = next(e for e in entries if e.is_header)
    header = _header(entries)
    assert header["Language"] == "zh_Hans"
    assert header["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert "charset=UTF-8" in header["Content-Type"]
    assert "fuzzy" not in header_entry.flags


def test_nothing_is_fuzzy(messages):
    fuzzy = [_where(e) for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"


def test_everything_is_translated(messages):
    untranslated = [_where(e) for e in messages if not all(t.strip() for t in e.translations)]
    assert not untranslated, f"untranslated entries: {untranslated}"


def test_plural_entries_have_the_one_chinese_form(messages):
    wrong = [_where(e) for e in messages
             if e.msgid_plural is not None and set(e.msgstr_plural) != {0}]
    assert not wrong, f"plural entries need exactly msgstr[0]: {wrong}"


def test_translations_are_chinese(messages):
    """A msgstr copied from the msgid is a forgotten translation (codes and the like aside)."""
    copied = [_where(e) for e in messages
              if not any(re.search(r"[\u4e00-\u9fff]", t) for t in e.translations)]
    assert not copied, f"translations without any Chinese: {copied}"


def test_python_format_placeholders_are_kept(messages):
    problems = []
    for e in messages:
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        if "python-format" not in e.flags and not any("%(" in s for s in sources):
            continue
        named = set().union(*(_python_placeholders(s)[0] for s in sources))
        # Chinese has one form, msgstr[0], used for every n: it is formatted like the plural.
        positional = _python_placeholders(sources[-1])[1]
        for translated in e.translations:
            t_named, t_positional = _python_placeholders(translated)
            if t_named != named or t_positional != positional:
                problems.append(f"{_where(e)}: {sorted(named)} {positional} → "
                                f"{translated!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_python_brace_format_placeholders_are_kept(messages):
    problems = [
        _where(e) for e in messages if "python-brace-format" in e.flags
        and any(set(BRACE_FORMAT.findall(t)) != set(BRACE_FORMAT.findall(e.msgid))
                for t in e.translations)
    ]
    assert not problems, f"brace placeholders differ: {problems}"


def test_the_compiled_catalogue_matches_the_po_file(messages):
    assert MO_FILE.exists(), "run: manage.py compilemessages -l zh_Hans"
    with MO_FILE.open("rb") as fp:
        mo = gettext.GNUTranslations(fp)
    assert mo.info().get("language") == "zh_Hans"
    stale = []
    for e in messages:
        if e.msgid_plural is None:
            got = mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt else mo.gettext(e.msgid)
            if got != e.msgstr:
                stale.append(_where(e))
        else:
            for n in (1, 2, 5):
                got = (mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n) if e.msgctxt
                       else mo.ngettext(e.msgid, e.msgid_plural, n))
                if got != e.msgstr_plural[0]:
                    stale.append(f"{_where(e)} n={n}")
    assert not stale, f"the .mo is out of date; run compilemessages: {stale}"


def test_django_serves_the_chinese_strings():
    with translation.override("zh-hans"):
        assert translation.gettext("Organisation network") == "组织网络"
        assert translation.gettext("Log in") == "登录"
        assert translation.gettext("Log out") == "退出登录"
        assert translation.gettext("A division code has digits only.") == "区划代码只能由数字组成。"
        assert translation.ngettext("%(n)s unit below", "%(n)s units below", 3) % {
            "n": 3
        } == "下辖 3 个单位"
    with translation.override("en"):
        assert translation.gettext("Organisation network") == "Organisation network"
