"""What a later sentence changes in an earlier one it restates (search/changes.py): the cases where two close
sentences carry different figures or months and yet nothing was revised, beside the revisions that must stay."""
import pytest

from search.changes import changed
from search.figures import numbers


@pytest.mark.parametrize("earlier, later", [
    # two sides of a poll: the share against is no revision of the share for
    ("Voters viewing the mayor unfavorably rose from 9% to 21%.", "The mayor is viewed favorably by 74%, down from 88%."),
    ("Some 38% disapprove of the plan.", "Only 45% approve of the plan."),
    # a figure rounded to its thousands is the precise one
    ("Velko is recalling around 2,316,000 scooters over a brake fault.",
     "Velko is recalling 2,315,742 of its scooters because the brake may fail."),
    # scores and phone numbers are pairs and labels, not figures
    ("1961 — The Comets took a 3-1 lead in the final with a 7-6 win in Ardley.",
     "1961 — A late goal gave the Comets a 5-4 victory and the final in six games."),
    ("Anyone in crisis can call 1-800-555-0199, the hotline said.",
     "Anyone in crisis can call or text at any of 24 hours a day, the hotline said."),
    # a price a change started from is no figure of now: leaving it out revises nothing
    ("The monthly pass will rise to $84.50 from $79.50.", "The monthly pass goes up $5 to $84.50."),
    # months of a schedule that share a month: more dates, not a date moved
    ("Nurses walked out in May and June, and more walkouts are planned through August.",
     "Nurses could strike again in July and August."),
])
def test_restatements_that_revise_nothing(earlier, later):
    assert changed(earlier, later) == ()


@pytest.mark.parametrize("earlier, later, change", [
    ("At least 90 people were killed by the floods.", "Almost 100 people were killed by the floods.", "90 → 100"),
    ("The toll stood at 8,805 on Monday.", "The toll stood at 8,800 on Monday.", "8,805 → 8,800"),
    ("Rents rose to $1,200 from $1,000.", "Rents have risen to $1,350.", "1,200 → 1,350"),
    # "from" without a change is no starting figure; common words are no poll's sides; 1,250 is no rounding
    ("Tourists from 12 countries came to the fair.", "Tourists from 15 countries came to the fair.", "12 → 15"),
    ("Gusts ranging from 60 to 80 mph hit the coast.", "Gusts ranging from 70 to 80 mph hit the coast.", "60 → 70"),
    ("Set up in 2019, the fund drew tourists from 12 countries.", "Set up in 2019, the fund drew tourists from 15 "
     "countries.", "12 → 15"),   # the "up" is another clause's
    ("The bank kept rates unchanged at 5.25%.", "The bank raised rates to 5.5%, a change markets expected.",
     "5.25% → 5.5%"),
    ("The unemployment rate rose to 3.9%.", "The unemployment rate fell to 3.8% as employers added jobs.",
     "3.9% → 3.8%"),
    ("The toll rose to 1,246 on Monday.", "The toll rose to 1,250 on Tuesday.", "1,246 → 1,250"),
    ("The trial is set for March.", "The trial is now set for May.", "March → May"),
    ("Some 38% approve of the plan.", "Only 31% approve of the plan.", "38% → 31%"),
    ("Velko is recalling around 2,316,000 scooters.", "Velko is recalling 2,412,350 scooters.", "2,316,000 → 2,412,350"),
])
def test_revisions_stay_flagged(earlier, later, change):
    assert changed(earlier, later) == (change,)


def test_a_range_is_kept_as_figures_where_a_score_is_not():
    assert numbers("Forecasters expect 10-14 inches of rain; the Comets lead 3-1.") == ["10", "14"]


def test_a_name_after_an_initial_opening_the_sentence_is_a_subject():
    """Two players' shooting lines are two subjects, also when one line opens with its player's initials."""
    from search.tallies import two_subjects
    assert two_subjects("Ann Lee scored 12 points while going 5 of 8 (2 for 4 from distance).",
                        "L.J. Owens added 21 points while shooting 8 for 12, including 5 for 7 from deep.")
