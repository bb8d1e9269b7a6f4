"""The sizes of what /review match accepts and shows: the cog's form needs them when it is
defined, without importing the matcher and its rules (loaded by the first review)."""

POSTING_MIN, POSTING_MAX = 50, 4000
PROFILE_MIN, PROFILE_MAX = 20, 4000
SHOWN = 10  # at most this many present and this many missing terms are shown
