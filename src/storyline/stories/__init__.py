"""Stage: group distinct reports into stories that keep their ids as new articles arrive."""

from storyline.stories.clustering import Assignment, StoryIndex, StoryState
from storyline.stories.features import Profile, Report, number_tokens, term_counts
from storyline.stories.options import FEATURES, StoryOptions
from storyline.stories.story import Story, StoryEntity, make_report

__all__ = [
    "FEATURES",
    "Assignment",
    "Profile",
    "Report",
    "Story",
    "StoryEntity",
    "StoryIndex",
    "StoryOptions",
    "StoryState",
    "make_report",
    "number_tokens",
    "term_counts",
]
