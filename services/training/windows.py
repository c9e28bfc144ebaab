"""Which logs the engine reads set by set and which as weekly summaries (training-rules.md §1.8).

Every rule reads sets one by one only in a recent window: day windows reach back at most 56 days
(§4.2) and week windows six completed weeks (§3.1, §4.6), a week further for every deload week they
skip (§1.2). Older weeks are read only for their hard-set count (§3.2's streak) and for whether a
leg workout came before a deload was accepted (§3.4): a weekly summary per exercise answers both.
The Nordic ladder (§2.4) and the GHR promotion (§4.8) replay every session they find, so those two
exercises are read set by set over the whole history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from services.training.catalog import NORDIC
from services.training.deload import KIND as DELOAD_KIND
from services.training.nordic import GHR
from services.training.types import ExistingInsight, UserProfile
from services.training.weeks import LocalCalendar

HISTORY_WEEKS = 26  # the longest look-backs (streaks over skipped deload weeks) fit
# W-9: the 56-day window of §4.2 starts in W-8, or in the last hour of W-9 across a DST change.
SET_BY_SET_WEEKS = 9
WHOLE_HISTORY_EXERCISES = frozenset({NORDIC, GHR})


def history_since(user: UserProfile, now: datetime) -> date:
    """The first local week the engine reads at all: W-26."""
    return LocalCalendar.for_user(user, now).week(-HISTORY_WEEKS)


def set_by_set_since(user: UserProfile, now: datetime, insights: Sequence[ExistingInsight]) -> date:
    """The first local week every rule gets set by set: W-9, one week earlier per accepted deload
    (each can be a week a window steps over, §1.2), never before `history_since`."""
    accepted = sum(1 for row in insights if row.kind == DELOAD_KIND and row.status == "accepted")
    cal = LocalCalendar.for_user(user, now)
    return cal.week(-min(SET_BY_SET_WEEKS + accepted, HISTORY_WEEKS))
