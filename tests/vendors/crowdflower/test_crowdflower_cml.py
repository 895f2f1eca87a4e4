"""Reading CrowdFlower's CML into form fields: kinds, options, names, defaults and bad markup."""

from __future__ import annotations

import dataclasses

import pytest

from mockserver.vendors.crowdflower.cml import Field, Form, aggregation_kind, legend, parse

SENTIMENT = """
<h2>Read the tweet</h2>
<p>{{tweet}}</p>
<cml:radios label="What is the sentiment of this tweet?" name="sentiment"
            validates="required" gold="true">
  <cml:radio label="Positive" value="positive" />
  <cml:radio label="Neutral" value="neutral" />
  <cml:radio label="Negative" value="negative" />
</cml:radios>
<cml:text label="Why?" name="reason" validates="required" />
"""

TOPICS = """
<cml:checkboxes label="Which topics does {{title}} cover?" name="topics"
                validates="required" gold="true" aggregation="agg_3">
  <cml:checkbox label="Sports" value="sports" />
  <cml:checkbox label="Politics" />
  <cml:checkbox label="Science &amp; Tech" value="science"></cml:checkbox>
</cml:checkboxes>
"""

COUNTRY = """
<cml:select label="Country" name="country" multiple="true" aggregation="cagg_0.6">
  <cml:option label="France" value="fr" />
  <cml:option label="Germany" value="de" />
  <option value="it">Italy</option>
  <option>Spain</option>
</cml:select>
"""


def only(form: Form) -> Field:
    assert len(form.fields) == 1, form
    return form.fields[0]


# -- realistic forms --------------------------------------------------------------------------


def test_a_sentiment_job_has_its_radios_and_its_text_field() -> None:
    form = parse(SENTIMENT)

    assert form.names == ("sentiment", "reason")
    assert form.problems == ()
    sentiment = form.fields[0]
    assert sentiment.kind == "radios"
    assert sentiment.label == "What is the sentiment of this tweet?"
    assert sentiment.options == ("positive", "neutral", "negative")
    assert sentiment.option_labels == ("Positive", "Neutral", "Negative")
    assert sentiment.validates == ("required",)
    assert sentiment.required and sentiment.gold and not sentiment.multiple
    assert sentiment.aggregation == "agg"
    assert sentiment.only_if is None
    reason = form.fields[1]
    assert (reason.kind, reason.options, reason.aggregation) == ("text", (), "all")


def test_checkboxes_are_multiple_and_an_option_value_defaults_to_its_label() -> None:
    topics = only(parse(TOPICS))

    assert topics.kind == "checkboxes"
    assert topics.label == "Which topics does {{title}} cover?"
    assert topics.options == ("sports", "Politics", "science")
    assert topics.option_labels == ("Sports", "Politics", "Science & Tech")
    assert topics.multiple and topics.gold and topics.required
    assert topics.aggregation == "agg_3"


def test_a_select_reads_cml_options_and_plain_options_by_their_text() -> None:
    country = only(parse(COUNTRY))

    assert country.kind == "select"
    assert country.options == ("fr", "de", "it", "Spain")
    assert country.option_labels == ("France", "Germany", "Italy", "Spain")
    assert country.multiple
    assert country.aggregation == "cagg_0.6"
    assert not country.required and not country.gold


def test_a_select_without_multiple_takes_one_answer() -> None:
    plain = only(parse('<cml:select name="s"><cml:option label="A"/></cml:select>'))
    declined = only(parse('<cml:select name="s" multiple="false"><option>A</option></cml:select>'))
    bare = only(parse('<cml:select name="s" multiple><option>A</option></cml:select>'))

    assert (plain.multiple, declined.multiple, bare.multiple) == (False, False, True)


def test_ratings_by_points_answer_one_to_n() -> None:
    five = only(parse('<cml:ratings label="Quality" points="5" validates="required"/>'))
    three = only(parse('<cml:ratings name="stars" points="3"></cml:ratings>'))
    unset = only(parse('<cml:ratings name="stars"/>'))

    assert five.name == "quality"
    assert five.options == ()
    assert five.answer_options() == ("1", "2", "3", "4", "5")
    assert five.aggregation == "avg"
    assert three.answer_options() == ("1", "2", "3")
    assert unset.answer_options() == ("1", "2", "3", "4", "5")


def test_ratings_with_explicit_ratings_answer_those() -> None:
    cml = """<cml:ratings label="Relevance" name="relevance" points="10">
      <cml:rating label="Off topic" value="0"/>
      <cml:rating label="Somewhat" value="1"/>
      <cml:rating label="Spot on" value="2"/>
    </cml:ratings>"""
    relevance = only(parse(cml))

    assert relevance.options == ("0", "1", "2")
    assert relevance.option_labels == ("Off topic", "Somewhat", "Spot on")
    assert relevance.answer_options() == ("0", "1", "2")


def test_a_bad_points_value_falls_back_to_five_and_is_reported() -> None:
    form = parse('<cml:ratings name="stars" points="lots"/>')

    assert only(form).answer_options() == ("1", "2", "3", "4", "5")
    assert len(form.problems) == 1 and "points" in form.problems[0]


def test_a_single_checkbox_is_a_boolean() -> None:
    agree = only(parse('<cml:checkbox label="I have read the guidelines" validates="required"/>'))

    assert agree.kind == "checkbox"
    assert agree.name == "i_have_read_the_guidelines"
    assert agree.answer_options() == ("true", "false")
    assert agree.aggregation == "agg"
    assert not agree.multiple


def test_a_taxonomy_is_a_select_whose_options_may_be_free() -> None:
    form = parse(
        '<cml:taxonomy name="category" src="https://example.com/tree.json"/>'
        '<cml:taxonomy name="animal" multiple="true">'
        '<cml:option label="Cat" value="cat"/><cml:option label="Dog"/></cml:taxonomy>'
    )

    category, animal = form.fields
    assert category.kind == "taxonomy"
    assert category.answer_options() == ()
    assert category.aggregation == "agg"
    assert animal.options == ("cat", "Dog")
    assert animal.multiple
    assert form.problems == ()


def test_free_text_kinds_offer_no_options() -> None:
    form = parse('<cml:text name="a"/><cml:textarea name="b"></cml:textarea><cml:hidden name="c"/>')

    assert [(f.kind, f.answer_options(), f.aggregation) for f in form.fields] == [
        ("text", (), "all"),
        ("textarea", (), "all"),
        ("hidden", (), "all"),
    ]


@pytest.mark.parametrize(
    ("cml", "aggregation"),
    [
        ('<cml:radios name="f"><cml:radio label="a"/></cml:radios>', "agg"),
        ('<cml:checkbox name="f"/>', "agg"),
        ('<cml:checkboxes name="f"><cml:checkbox label="a"/></cml:checkboxes>', "agg"),
        ('<cml:select name="f"><cml:option label="a"/></cml:select>', "agg"),
        ('<cml:taxonomy name="f"/>', "agg"),
        ('<cml:text name="f"/>', "all"),
        ('<cml:textarea name="f"/>', "all"),
        ('<cml:hidden name="f"/>', "all"),
        ('<cml:ratings name="f"/>', "avg"),
    ],
)
def test_each_kind_has_its_default_aggregation(cml: str, aggregation: str) -> None:
    assert only(parse(cml)).aggregation == aggregation


def test_a_written_aggregation_is_kept_normalised() -> None:
    field = only(parse('<cml:text name="f" aggregation=" TAGG "/>'))

    assert field.aggregation == "tagg"


def test_an_unknown_aggregation_falls_back_to_the_default_and_is_reported() -> None:
    form = parse('<cml:ratings name="f" aggregation="median"/>')

    assert only(form).aggregation == "avg"
    assert len(form.problems) == 1 and "median" in form.problems[0]


def test_validators_and_only_if_are_kept_as_written() -> None:
    cml = (
        '<cml:text name="age" validates="required  integer" only-if="adult:[yes]"/>'
        '<cml:text name="site" validates="url"/>'
    )
    age, site = parse(cml).fields

    assert age.validates == ("required", "integer") and age.required
    assert age.only_if == "adult:[yes]"
    assert site.validates == ("url",) and not site.required


# -- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Sentiment", "sentiment"),
        ("Is this a dog?", "is_this_a_dog"),
        ("  What's the company's URL?! ", "what_s_the_company_s_url"),
        ("Does {{company_name}} appear in {{ text }}?", "does_company_name_appear_in_text"),
        ("Step 2 -- Rate it (1-5)", "step_2_rate_it_1_5"),
    ],
)
def test_a_missing_name_is_derived_from_the_label(label: str, name: str) -> None:
    field = only(parse(f'<cml:text label="{label}"/>'))

    assert field.name == name
    assert field.label == label


def test_a_written_name_wins_over_the_label() -> None:
    assert only(parse('<cml:text label="Your Name" name="Full_Name"/>')).name == "Full_Name"


def test_a_field_with_neither_name_nor_label_is_dropped_and_reported() -> None:
    form = parse('<cml:text validates="required"/><cml:text name="kept"/>')

    assert form.names == ("kept",)
    assert len(form.problems) == 1 and "neither name nor label" in form.problems[0]


def test_a_label_of_punctuation_only_yields_no_name() -> None:
    form = parse('<cml:text label="???"/>')

    assert form.fields == ()
    assert len(form.problems) == 1 and "'???'" in form.problems[0]


def test_a_duplicate_name_keeps_the_first_field_and_is_reported() -> None:
    form = parse(
        '<cml:radios name="answer"><cml:radio label="Yes"/></cml:radios><cml:text label="Answer"/>'
    )

    assert only(form).kind == "radios"
    assert len(form.problems) == 1 and "'answer'" in form.problems[0]


# -- how the markup is written --------------------------------------------------------------------


def test_fields_nested_in_html_and_groups_are_found_in_document_order() -> None:
    cml = """
    <div class="html-element-wrapper"><h1>Instructions</h1>
      <ul><li>Be careful</li></ul>
      <select><option>not a field</option></select>
    </div>
    <cml:group only-if="first:[yes]">
      <div><p><cml:text label="Second" /></p></div>
    </cml:group>
    <table><tr><td><cml:radios label="Third"><cml:radio label="x"/></cml:radios></td></tr></table>
    """
    form = parse('<p><cml:checkbox name="first"/></p>' + cml)

    assert form.names == ("first", "second", "third")
    assert form.problems == ()


def test_single_quotes_upper_case_and_bare_attributes_are_read() -> None:
    cml = (
        "<CML:RADIOS NAME='mood' Label='How is {{user}}?' GOLD Validates='required'>"
        "<cml:radio label='Good' value='good'><CML:RADIO LABEL='Bad' VALUE=bad></CML:RADIOS>"
    )
    mood = only(parse(cml))

    assert mood.kind == "radios"
    assert mood.label == "How is {{user}}?"
    assert mood.options == ("good", "bad")
    assert mood.gold and mood.required


def test_gold_false_is_not_gold() -> None:
    assert not only(parse('<cml:text name="a" gold="false"/>')).gold


def test_a_field_closed_only_by_the_next_one_still_counts() -> None:
    form = parse('<cml:text name="a"><cml:textarea name="b">')

    assert form.names == ("a", "b")


def test_an_option_outside_its_field_is_ignored_and_reported() -> None:
    form = parse(
        '<cml:radio label="stray"/>'
        '<cml:select name="s"><cml:radio label="wrong"/><cml:option label="ok"/></cml:select>'
    )

    assert only(form).options == ("ok",)
    assert len(form.problems) == 2
    assert all("outside" in problem for problem in form.problems)


def test_a_repeated_option_value_keeps_the_first() -> None:
    form = parse(
        '<cml:radios name="r"><cml:radio label="Yes" value="y"/>'
        '<cml:radio label="Yeah" value="y"/></cml:radios>'
    )

    assert only(form).option_labels == ("Yes",)
    assert len(form.problems) == 1 and "'y'" in form.problems[0]


def test_radios_without_options_are_reported() -> None:
    form = parse('<cml:radios name="empty"></cml:radios>')

    assert only(form).options == ()
    assert len(form.problems) == 1 and "no options" in form.problems[0]


@pytest.mark.parametrize("cml", [None, "", "Only instructions, <b>no form</b> at all."])
def test_no_form_at_all_is_an_empty_form_without_problems(cml: str | None) -> None:
    assert parse(cml) == Form((), ())


@pytest.mark.parametrize(
    "cml",
    [
        None,
        "",
        "Just some instructions, no form at all.",
        "<cml:unknown name='x'/><cml:group></cml:group>",
        "</cml:radios></cml:text>",
        "<<<>>> <cml: <!-- <cml:text name='commented'/> --> &bogus; <![CDATA[",
        "<script><cml:text name='in_script'/></script>",
    ],
)
def test_markup_without_fields_gives_an_empty_form(cml: str | None) -> None:
    form = parse(cml)

    assert form.fields == ()
    assert not form.launchable


def test_unterminated_markup_keeps_what_was_read() -> None:
    form = parse('<cml:radios name="x" validates="required"><cml:radio label="a"')

    assert form.names == ("x",)
    assert only(form).required
    assert form.problems  # the radios ends with no option it could read


@pytest.mark.parametrize(
    "cml",
    [
        '<cml:radios name="x"><cml:radio label="a"',
        '<cml:select name="s"><option value="a">A<cml:text name="t"/>',
        "<cml:checkboxes name=c><cml:checkbox></cml:checkbox><cml:checkbox value=''/>",
        "<cml:ratings points='-3' aggregation='agg_' name=r/>",
        '<cml:text name="a" name="b" label="{{ }}" validates="" only-if="">',
        "<cml:text name='\x00'/><cml:radios label='\ud800'><cml:radio label='\ufffd'/>",
        "<" * 1000 + "cml:text name='deep'/>" + "</div>" * 1000,
    ],
)
def test_garbage_never_raises(cml: str) -> None:
    form = parse(cml)

    assert isinstance(form, Form)
    assert all(isinstance(problem, str) for problem in form.problems)
    legend(form)  # and whatever was read can be described


def test_attributes_keep_their_first_spelling() -> None:
    assert only(parse('<cml:text name="a" name="b"/>')).name == "a"


# -- the form --------------------------------------------------------------------------------------


def test_a_field_is_found_by_name() -> None:
    form = parse(SENTIMENT)

    found = form.field("reason")
    assert found is not None and found.kind == "text"
    assert form.field("Reason") is None
    assert form.field("missing") is None


def test_a_form_launches_only_with_a_required_field() -> None:
    assert parse(SENTIMENT).launchable
    assert not parse(COUNTRY).launchable
    assert not parse('<cml:text name="a" validates="requiredish"/>').launchable


def test_parsed_forms_are_frozen() -> None:
    field = only(parse(TOPICS))

    with pytest.raises(dataclasses.FrozenInstanceError):
        field.name = "other"  # type: ignore[misc]


# -- the legend ---------------------------------------------------------------------------------


def test_the_legend_describes_every_field_in_document_order() -> None:
    answer = legend(parse(SENTIMENT + TOPICS))

    assert list(answer) == ["sentiment", "reason", "topics"]
    assert answer["sentiment"] == {
        "type": "radios",
        "label": "What is the sentiment of this tweet?",
        "options": {"positive": "Positive", "neutral": "Neutral", "negative": "Negative"},
        "validates": ["required"],
        "aggregation": "agg",
        "gold": True,
    }
    assert answer["reason"] == {
        "type": "text",
        "label": "Why?",
        "validates": ["required"],
        "aggregation": "all",
        "gold": False,
    }
    assert answer["topics"] == {
        "type": "checkboxes",
        "label": "Which topics does {{title}} cover?",
        "options": {"sports": "Sports", "Politics": "Politics", "science": "Science & Tech"},
        "validates": ["required"],
        "aggregation": "agg_3",
        "gold": True,
    }


def test_the_legend_lists_the_answers_of_ratings_and_checkboxes_without_options() -> None:
    answer = legend(parse('<cml:ratings name="r" points="3"/><cml:checkbox name="ok"/>'))

    assert answer["r"] == {
        "type": "ratings",
        "label": "",
        "options": {"1": "1", "2": "2", "3": "3"},
        "validates": [],
        "aggregation": "avg",
        "gold": False,
    }
    assert answer["ok"] == {
        "type": "checkbox",
        "label": "",
        "options": {"true": "true", "false": "false"},
        "validates": [],
        "aggregation": "agg",
        "gold": False,
    }


def test_the_legend_of_no_form_is_empty() -> None:
    assert legend(parse(None)) == {}


# -- aggregation kinds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aggregation", "kind"),
    [
        ("agg", ("agg", None)),
        ("all", ("all", None)),
        ("avg", ("avg", None)),
        ("tagg", ("tagg", None)),
        ("agg_3", ("agg_x", 3.0)),
        ("cagg_0.6", ("cagg_x", 0.6)),
        ("bagg_2", ("bagg_x", 2.0)),
        ("CAGG_.75", ("cagg_x", 0.75)),
        (" agg_10 ", ("agg_x", 10.0)),
        ("median", ("agg", None)),
        ("agg_", ("agg", None)),
        ("agg_x", ("agg", None)),
        ("agg_-1", ("agg", None)),
        ("agg_nan", ("agg", None)),
        ("tagg_2", ("agg", None)),
        ("", ("agg", None)),
    ],
)
def test_aggregation_kind_splits_the_threshold(
    aggregation: str, kind: tuple[str, float | None]
) -> None:
    assert aggregation_kind(aggregation) == kind


def test_the_legend_endpoint_reads_the_jobs_cml() -> None:
    from starlette.testclient import TestClient

    from mockserver.app import create_app
    from mockserver.settings import Settings

    design = (
        '<cml:radios label="Sentiment" validates="required">'
        '<cml:radio label="Positive" value="pos"/><cml:radio label="Negative" value="neg"/>'
        "</cml:radios>"
    )
    with TestClient(create_app(Settings(clock="manual", rate_limits=False))) as client:
        job = client.post("/crowdflower/v1/jobs?key=K", data={"job[cml]": design}).json()
        legend = client.get(f"/crowdflower/v1/jobs/{job['id']}/legend.json?key=K").json()
        empty = client.post("/crowdflower/v1/jobs?key=K").json()
        nothing = client.get(f"/crowdflower/v1/jobs/{empty['id']}/legend?key=K").json()
    assert list(legend) == ["sentiment"]
    assert legend["sentiment"]["options"] == {"pos": "Positive", "neg": "Negative"}
    assert nothing == {}
