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
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

EMAIL_MARK = "[e-mail address removed]"
PHONE_MARK = "[telephone number removed]"
NHS_MARK = "[NHS number removed]"

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


def find(text: str) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, mark)`` of personal details in ``text`` as written, in order."""
    plain, origin = normalise(text)
    found: list[tuple[int, int, str]] = []
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


def redact(text: str) -> str:
    """``text`` with e-mail addresses, telephone numbers and NHS numbers replaced by marks."""
    out = text
    for start, end, mark in reversed(find(text)):
        out = out[:start] + mark + out[end:]
    return out
