"""One escaping rule for every value a template shows; fragments are one line."""

from __future__ import annotations

import math

import pytest
from jinja2 import DictLoader, Environment, UndefinedError
from markupsafe import Markup

from odreport.report import templating

HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)">'


def test_text_of_blanks_is_empty():
    assert templating.text(None) == "" and templating.text(math.nan) == ""
    assert templating.text(0) == "0" and templating.text("x") == "x"


def test_escape_quotes_and_markup():
    assert templating.escape(HOSTILE) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt;"
    )
    assert templating.escape("Don't") == "Don&#x27;t"
    assert templating.escape(Markup("<b>kept</b>")) == "<b>kept</b>"
    assert templating.escape(None) == ""


def test_slug():
    assert templating.slug("Exceptions: overdue and off-track items") == (
        "exceptions-overdue-and-off-track-items"
    )
    assert templating.slug('"><script>') == "script"


def test_every_value_is_escaped_in_text_and_attributes():
    env = templating.environment()
    assert env.autoescape
    page = env.from_string('<a title="{{ x }}">{{ x }}</a>').render(x=HOSTILE)
    assert "<script" not in page and "<img" not in page
    assert page.count("onerror=&quot;alert(2)&quot;") == 2  # cannot close the attribute


def test_an_undefined_name_is_an_error():
    with pytest.raises(UndefinedError):
        templating.environment().from_string("{{ missing }}").render()


def test_fragments_are_joined_into_one_line_pages_are_not():
    env = Environment(
        loader=DictLoader({"sections/x.j2": "<p>\n  {{ a }}\n</p>\n", "page.j2": "<p>\n</p>\n"}),
        extensions=[templating.JoinLines],
        keep_trailing_newline=True,
    )
    assert env.get_template("sections/x.j2").render(a="b") == "<p>b</p>"
    assert env.get_template("page.j2").render() == "<p>\n</p>\n"


def test_render_returns_markup_of_a_section_template():
    out = templating.render(
        "sections/section.html.j2", title="A & B", body=Markup("<p>x</p>"), appendix=False
    )
    assert isinstance(out, Markup)
    assert out == '<h2 id="a-b">A &amp; B</h2><p>x</p>'
    out = templating.render(
        "sections/section.html.j2", title="Appendix A: B", body=Markup("<p>x</p>"), appendix=True
    )
    assert out == (
        '<section class="appendix" aria-labelledby="appendix-a-b">'
        '<h2 id="appendix-a-b">Appendix A: B</h2><p>x</p></section>'
    )
