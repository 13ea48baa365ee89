"""Redaction of e-mail addresses, telephone numbers and NHS numbers in free-text comments:
one case per form in issue 15, and text that must be left alone."""

from __future__ import annotations

import pytest

from odreport.metrics import redaction
from odreport.metrics.redaction import EMAIL_MARK, NHS_MARK, PHONE_MARK

ZWSP = "\u200b"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # e-mail addresses as people write them to get past filters
        ("mail john.smith@nhs.net today", f"mail {EMAIL_MARK} today"),
        ("name [at] nhs.net", EMAIL_MARK),
        ("jo (at) nhs (dot) net please", f"{EMAIL_MARK} please"),
        ("john.smith @ nhs.net", EMAIL_MARK),
        ("john.smith%40nhs.net", EMAIL_MARK),
        ("john.smith\uff20nhs.net", EMAIL_MARK),  # full-width at sign
        (f"john.smith@{ZWSP}nhs.net", EMAIL_MARK),
        ("email jo@nhs.net.", f"email {EMAIL_MARK}."),
        # UK telephone numbers
        ("call 07700 900123 please", f"call {PHONE_MARK} please"),
        ("0044 7700 900123", PHONE_MARK),
        ("(+44) 7700 900123", PHONE_MARK),
        ("+44 (0)20 7946 0018", PHONE_MARK),
        ("(0114) 496 0999 ext", f"{PHONE_MARK} ext"),
        ("01632-960-001", PHONE_MARK),
        (f"07700{ZWSP}900123", PHONE_MARK),
        ("a07700900123", f"a{PHONE_MARK}"),
        ("\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13", PHONE_MARK),
        ("+1 415 555 2671", PHONE_MARK),
        # NHS numbers (943 476 5919: weights 10..2 give 299, 11 - 299 mod 11 = 9)
        ("NHS no 943 476 5919 ok", f"NHS no {NHS_MARK} ok"),
        ("943-476-5919", NHS_MARK),
        ("9434765919", NHS_MARK),
        # both kinds in one comment
        (
            "Ring me on 0115 123 4567 or jo.bloggs@nhs.net",
            f"Ring me on {PHONE_MARK} or {EMAIL_MARK}",
        ),
    ],
)
def test_personal_details_are_redacted(text, expected):
    assert redaction.redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "met on 12/03/2020, 25 staff, 2019-2020 budget £90,000",
        "ref 123456",
        "in 2016/17 we had 1,234 staff and 20,000 patients; call 111 or 999",
        "at 10:30 on 2020-01-02 in room 12",
        "we are 100% sure … “quoted” ﬁne",  # NFKC would change these: kept as written
        "NHS 943 476 5918 is not a valid number",  # wrong check digit
        "meet at nhs.net offices",
    ],
)
def test_other_text_is_left_as_written(text):
    assert redaction.redact(text) == text


def test_a_comment_is_changed_only_where_details_were_found():
    text = "Ｔｈａｎｋｓ ‘team’ — call 07700 900123"
    assert redaction.redact(text) == f"Ｔｈａｎｋｓ ‘team’ — call {PHONE_MARK}"


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("9434765919", True), ("4010232137", True), ("9434765918", False), ("123456789", False)],
)
def test_nhs_number_check_digit(digits, valid):
    assert redaction.is_nhs_number(digits) is valid


def test_normalise_drops_zero_width_characters_and_maps_back():
    text, origin = redaction.normalise(f"a{ZWSP}\uff21b")
    assert text == "aAb"
    assert origin == [0, 2, 3]


NAMES = redaction.name_pattern(["Dawn", "Sarah Whittle", "O'Neill"])
NAME = redaction.NAME_MARK


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Currently Dawn holding meetings", f"Currently {NAME} holding meetings"),
        ("DAWN said so", f"{NAME} said so"),  # any letter case
        ("ask dawn.", f"ask {NAME}."),
        ("Dawn's meetings help", f"{NAME}'s meetings help"),
        ("Sarah  Whittle chaired", f"{NAME} chaired"),  # any spacing between the words
        ("Sarah\nWhittle chaired", f"{NAME} chaired"),
        (f"Da{ZWSP}wn again", f"{NAME} again"),  # a zero-width space hides nothing
        ("Ｄａｗｎ again", f"{NAME} again"),  # full-width letters
        ("Mrs O'Neill replied", f"Mrs {NAME} replied"),
        ("mail dawn@nhs.net", f"mail {EMAIL_MARK}"),  # the e-mail address, not a name in it
        ("Dawn, call 07700 900123", f"{NAME}, call {PHONE_MARK}"),
    ],
)
def test_listed_names_are_removed_as_whole_words(text, expected):
    assert redaction.redact(text, NAMES) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Dawning of a new era",  # not a whole word
        "at dawnbreak",
        "Sarah chaired; Whittle minuted",  # a phrase is removed only whole
        "Sarah Whittles",
    ],
)
def test_other_words_are_left_alone(text):
    assert redaction.redact(text, NAMES) == text


def test_no_names_listed_gives_no_pattern():
    assert redaction.name_pattern([]) is None
    assert redaction.name_pattern(["", "  "]) is None
    assert redaction.redact("Dawn", None) == "Dawn"


def test_the_longer_of_two_listed_names_is_removed_whole():
    names = redaction.name_pattern(["Sarah", "Sarah Whittle"])
    assert redaction.redact("Sarah Whittle and Sarah", names) == f"{NAME} and {NAME}"
