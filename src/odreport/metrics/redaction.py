"""Redact personal details from free-text survey comments: e-mail addresses, telephone
numbers and NHS numbers.

Comments are matched in a normalised copy of the text: Unicode NFKC (full-width ``＠`` and
digits become ``@`` and ASCII digits) with zero-width characters removed (a zero-width space
inside ``07700​900123`` hides nothing). What is found there is cut from the text as written,
so a comment without personal details is returned unchanged.

- **E-mail addresses**, also written ``name [at] nhs.net``, ``name (at) nhs [dot] net``,
  ``john.smith @ nhs.net`` and URL-encoded ``john.smith%40nhs.net``.
- **Telephone numbers**, found by Google's libphonenumber (the ``phonenumbers`` package,
  region GB): ``07700 900123``, ``0044 7700 900123``, ``(+44) 7700 900123``,
  ``+44 (0)20 7946 0018``, also glued to a word (``a07700900123``). The matcher's lenient
  mode also finds plain numbers such as years and counts; a match is kept only when it is
  written as a telephone number: a leading ``+``, ``00`` or trunk ``0``, and a possible
  number for its country.
- **NHS numbers**: ten digits (``943 476 5919``, ``943-476-5919``, ``9434765919``) whose last
  digit is the modulus 11 check digit of the first nine.
- **Listed names** (``names``, from the optional input ``redactions.csv``): each name or phrase
  wherever it stands as a whole word or phrase, in any letter case and with any spacing
  between its words (``Dawn``, ``DAWN``, ``Dawn's``; not ``Dawning``). No rule can tell a
  person's name from an ordinary word (``Will``, ``May``, ``Hope``), so names are found only
  when someone lists them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import phonenumbers

EMAIL_MARK = "[e-mail address removed]"
PHONE_MARK = "[telephone number removed]"
NHS_MARK = "[NHS number removed]"
NAME_MARK = "[name removed]"

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
"""Zero-width space, non-joiner, joiner, word joiner, byte-order mark, soft hyphen, Mongolian
vowel separator: invisible, and dropped before matching."""

_OPEN, _CLOSE = r"[\[\(\{<]", r"[\]\)\}>]"
_AT = rf"(?:\s*@\s*|\s*{_OPEN}\s*at\s*{_CLOSE}\s*|%40)"
_DOT = rf"(?:\.|\s*{_OPEN}\s*dot\s*{_CLOSE}\s*)"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
EMAIL_RE = re.compile(
    rf"[A-Za-z0-9._+'-]*[A-Za-z0-9_+'-]{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[A-Za-z]{{2,}}(?![A-Za-z0-9-])",
    re.IGNORECASE,
)
NHS_RE = re.compile(r"(?<![\d])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
_WRITTEN_AS_PHONE = re.compile(r"^[(\s]*(?:\+|00|0)")


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` in NFKC without zero-width characters, and for each of its characters the
    index of the character of ``text`` it came from."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch in ZERO_WIDTH:
            continue
        for c in unicodedata.normalize("NFKC", ch):
            if c in ZERO_WIDTH:
                continue
            out.append(c)
            origin.append(i)
    return "".join(out), origin


def is_nhs_number(digits: str) -> bool:
    """Whether ten digits are a valid NHS number (modulus 11 check digit)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _phone_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        if not _WRITTEN_AS_PHONE.match(match.raw_string):
            continue  # a year, a count or a reference: no trunk or international prefix
        number = match.number
        digits = phonenumbers.national_significant_number(number)
        if number.country_code == 44 and len(digits) < 9:
            continue
        if not phonenumbers.is_possible_number(number):
            continue
        spans.append((match.start, match.end))
    return spans


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``names`` as a whole word or phrase (normalised as the text
    is, any letter case, any run of spaces between words), longest first; None for no names."""
    words = {tuple(normalise(n)[0].split()) for n in names if n and str(n).strip()}
    if not words:
        return None
    alternatives = [
        r"\s+".join(re.escape(w) for w in parts)
        for parts in sorted(words, key=lambda p: (-len(" ".join(p)), p))
    ]
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


def find(text: str, names: re.Pattern[str] | None = None) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, mark)`` of personal details in ``text`` as written, in order;
    ``names`` (from :func:`name_pattern`) adds the listed names."""
    plain, origin = normalise(text)
    found: list[tuple[int, int, str]] = []
    if names is not None:
        found += [(m.start(), m.end(), NAME_MARK) for m in names.finditer(plain)]
    found += [(m.start(), m.end(), EMAIL_MARK) for m in EMAIL_RE.finditer(plain)]
    found += [
        (m.start(), m.end(), NHS_MARK)
        for m in NHS_RE.finditer(plain)
        if is_nhs_number("".join(m.groups()))
    ]
    found += [(s, e, PHONE_MARK) for s, e in _phone_spans(plain)]
    spans: list[tuple[int, int, str]] = []
    for start, end, mark in sorted(found, key=lambda f: (f[0], -f[1])):
        if spans and start < spans[-1][1]:
            continue  # inside an earlier match (digits of an e-mail address)
        spans.append((start, end, mark))
    return [(origin[s], origin[e - 1] + 1, mark) for s, e, mark in spans]


def redact(text: str, names: re.Pattern[str] | None = None) -> str:
    """``text`` with e-mail addresses, telephone numbers, NHS numbers and the names matched by
    ``names`` (:func:`name_pattern`) replaced by marks."""
    out = text
    for start, end, mark in reversed(find(text, names)):
        out = out[:start] + mark + out[end:]
    return out
