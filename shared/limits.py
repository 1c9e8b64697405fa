"""Sizes and rates that both sides of the wire agree on."""

PROTOCOL_VERSION = 1

MAX_FRAME_BYTES = 64 * 1024
HELLO_TIMEOUT_SECONDS = 10.0

NAME_MAX = 40
CHAT_MAX = 1_000
QUESTION_MAX = 500
POLL_QUESTION_MAX = 200
POLL_OPTION_MAX = 100
POLL_OPTIONS_MIN = 2
POLL_OPTIONS_MAX = 10
ROUND_TITLE_MAX = 120
ROUND_THEME_MAX = 1_000
ROUND_MINUTES_MAX = 600
ANNOUNCEMENT_MAX = 500
DEBATE_TITLE_MAX = 200
# The moderators' back-channel and the word filter (issue 12).
NOTE_MAX = 1_000
FILTER_WORD_MAX = 40
FILTER_WORDS_MAX = 500
HAND_TOPIC_MAX = 200
COMMAND_ID_MAX = 64
SECRET_MAX = 128
# Merged questions and written answers (issue 12).
WRITTEN_ANSWER_MAX = 2_000
MERGE_MAX = 50  # questions merged by one command
# Tables (issue 13): a table's name, its seats, its spokesperson's synthesis per round.
TABLE_NAME_MAX = 60
TABLE_SEATS_MAX = 100
SYNTHESIS_MAX = 1_000

# Token buckets per participant: a short burst is fine, a flood is not.
CHAT_BURST = 5
CHAT_REFILL_PER_SECOND = 1.0
QUESTION_BURST = 3
QUESTION_REFILL_PER_SECOND = 0.2

# A client further behind than this gets a snapshot instead of a replay.
MAX_REPLAY_EVENTS = 10_000

# set_join_rate: new identities per minute with the shared join code, whole debate.
JOIN_RATE_MAX = 100_000
# The welcome stays small however long the evening: sixty phones on a venue's
# Wi-Fi pay for it at once. A snapshot carries the recent part of the chat (and,
# for guests, of the questions) and says where it starts; a client fetches the
# earlier part with ``fetch_history``, a page at a time. A catch-up larger than
# WELCOME_MAX_BYTES is answered with a snapshot instead.
WELCOME_MAX_BYTES = 64 * 1024
WINDOW_MESSAGES = 100
WINDOW_MESSAGE_BYTES = 16 * 1024
WINDOW_QUESTIONS = 100
WINDOW_QUESTION_BYTES = 20 * 1024
# Besides the recent questions, a guest's window holds the most upvoted ones
# (so that "by votes" starts right), the pinned one and their own named ones.
WINDOW_TOP_QUESTIONS = 10
WINDOW_OWN_QUESTIONS = 20
HISTORY_PAGE_MAX = 50
HISTORY_PAGE_BYTES = 32 * 1024

# Poll kinds (issue 12): a rating scale, a word cloud, open answers.
SCALE_MIN = 2
SCALE_MAX = 10
SCALE_DEFAULT = 5
SCALE_LABEL_MAX = 40
WORD_MAX = 40  # one word or short phrase of a word cloud
WORDS_PER_BALLOT = 3
# The most frequent words sent on the wire; the exports have them all.
WORD_CLOUD_MAX = 100
OPEN_ANSWER_MAX = 280
