// The view reducer, ported from shared/view.py: what one role sees, folded from
// the frames it receives. Plain data in, plain data out (the JSON of the
// snapshot); no DOM, no network. It passes every committed conformance case
// (tests/conformance/cases), checked in a real browser by tests/web.

export const TITLE = "title";
export const ROUNDS = "rounds";
export const CHAT = "chat";
export const QUESTIONS = "questions";
export const POLLS = "polls";
export const PEOPLE = "people";
export const SPOTLIGHT = "spotlight"; // what the projector shows, and announcements
export const NOTES = "notes"; // the moderators' back-channel
export const FLOOR = "floor"; // the speaker queue and who has the floor
export const TABLES = "tables"; // tables, who sits where, and the tables' syntheses
export const ALL = new Set([TITLE, ROUNDS, CHAT, QUESTIONS, POLLS, PEOPLE, SPOTLIGHT, FLOOR, TABLES, NOTES]);

const LETTERS = /^[a-z]*/;

/** Ids are a letter and a counter ("q12"): creation order, the server's order. */
export function idOrder(a, b) {
  const da = a.replace(LETTERS, "");
  const db = b.replace(LETTERS, "");
  const na = /^[0-9]+$/.test(da) ? Number(da) : -1;
  const nb = /^[0-9]+$/.test(db) ? Number(db) : -1;
  if (na !== nb) return na - nb;
  return compareText(a, b);
}

function compareText(a, b) {
  // Python compares strings by code point; for the ISO times and ids used here
  // (ASCII) that is plain < and >.
  return a < b ? -1 : a > b ? 1 : 0;
}

export class View {
  constructor(me = null, isModerator = false) {
    this.me = me; // our participant id (null for a screen)
    this.isModerator = isModerator;
    this.seq = 0;
    this.title = "";
    this.moderation = true;
    this.agenda = [];
    this.rounds = new Map();
    this.messages = new Map();
    this.questions = new Map();
    this.polls = new Map();
    this.myUpvotes = new Set();
    this.myBallots = new Map();
    this.myRatings = new Map();
    this.myWords = new Map();
    this.participants = new Map(); // moderators only
    this.spotlight = { kind: "round", item_id: null };
    this.announcements = new Map();
    this.joinRatePerMinute = null; // moderators only (set_join_rate)
    // Where the unbroken part of each list starts (null: the whole list is here);
    // fetch_history with this as `before` brings the page before it.
    this.messagesBefore = null;
    this.questionsBefore = null;
    // Moderators only: their back-channel and the word filter in force.
    this.notes = new Map();
    this.wordFilter = null;
    this.hands = new Map(); // the queue's order
    this.floor = null;
    // Tables in the order added; syntheses by "round table", in the order first posted.
    this.tables = new Map();
    this.syntheses = new Map();
    // The name of our table when its removal unseated us (a notice, until we sit again).
    this.unseatedFrom = null;
  }

  // --- derived views -----------------------------------------------------------

  get pinned() {
    for (const question of this.questions.values()) {
      if (question.pinned) return question.question_id;
    }
    return null;
  }

  get liveRound() {
    return this.agendaRounds().find((r) => r.status === "live") ?? null;
  }

  get nextRound() {
    return this.agendaRounds().find((r) => r.status === "pending") ?? null;
  }

  get openPoll() {
    for (const poll of this.polls.values()) {
      if (poll.status === "open") return poll;
    }
    return null;
  }

  get lastClosedPoll() {
    const closed = this.pollsInOrder().filter((poll) => poll.status === "closed");
    return closed.length ? closed[closed.length - 1] : null;
  }

  /** Every round of the agenda has ended (a reopened round undoes it). */
  get eveningOver() {
    const rounds = this.agendaRounds();
    return rounds.length > 0 && rounds.every((r) => r.status === "ended");
  }

  /** The latest announcement of the live round (or of the lobby, between rounds). */
  get currentAnnouncement() {
    const live = this.liveRound;
    const roundId = live ? live.round_id : null;
    const made = [...this.announcements.values()]
      .filter((a) => a.round_id === roundId)
      .sort((a, b) => idOrder(a.announcement_id, b.announcement_id));
    return made.length ? made[made.length - 1] : null;
  }

  /** The open poll, else the last one opened in the live round (or the lobby) and closed since. */
  get roundPoll() {
    if (this.openPoll) return this.openPoll;
    const live = this.liveRound;
    const roundId = live ? live.round_id : null;
    const closed = this.pollsInOrder().filter((p) => p.status === "closed" && p.round_id === roundId);
    return closed.length ? closed[closed.length - 1] : null;
  }

  /** The raised hands, first raised first. */
  get queue() {
    return [...this.hands.values()];
  }

  /** 1 for the next to speak; null when that hand is not raised. */
  placeInQueue(participantId) {
    const index = [...this.hands.keys()].indexOf(participantId);
    return index < 0 ? null : index + 1;
  }

  rejectedQuestions() {
    return [...this.questions.values()]
      .filter((q) => q.status === "rejected")
      .sort((a, b) => compareText(b.at, a.at) || idOrder(b.question_id, a.question_id));
  }

  chatOf(roundId) {
    return [...this.messages.values()]
      .filter((m) => m.round_id === roundId)
      .sort((a, b) => idOrder(a.message_id, b.message_id));
  }

  approvedQuestions(byVotes = true) {
    // Merged questions are left out: they show under the one they were merged into.
    const approved = [...this.questions.values()].filter((q) => q.status === "approved" && q.merged_into == null);
    const byTime = (a, b) => compareText(a.at, b.at) || idOrder(a.question_id, b.question_id);
    // Most votes first; among equals, the older first.
    return approved.sort(byVotes ? (a, b) => b.votes - a.votes || byTime(a, b) : byTime);
  }

  // The questions merged into this one (issue 12), in the order asked.
  variantsOf(questionId) {
    return [...this.questions.values()]
      .filter((q) => q.merged_into === questionId)
      .sort((a, b) => compareText(a.at, b.at) || idOrder(a.question_id, b.question_id));
  }

  // Whether our upvote counts for this question: given to it or to a variant.
  upvoted(questionId) {
    return this.myUpvotes.has(questionId) || this.variantsOf(questionId).some((q) => this.myUpvotes.has(q.question_id));
  }

  pendingQuestions() {
    return [...this.questions.values()]
      .filter((q) => q.status === "pending")
      .sort((a, b) => compareText(a.at, b.at) || idOrder(a.question_id, b.question_id));
  }

  /** The table we sit at (null: none, or a moderator or a screen). */
  get myTable() {
    for (const table of this.tables.values()) {
      if (table.guests.some((g) => g.participant_id === this.me)) return table;
    }
    return null;
  }

  /** The table whose spokesperson we are. */
  get mySpokespersonTable() {
    const table = this.myTable;
    return table && table.spokesperson_id === this.me ? table : null;
  }

  freeTables() {
    return [...this.tables.values()].filter((t) => t.guests.length < t.seats);
  }

  /** The live round, else the one that ended last: whose syntheses the screens show. */
  get synthesesRound() {
    const live = this.liveRound;
    if (live) return live;
    const ended = this.agendaRounds().filter((r) => r.status === "ended");
    ended.sort((a, b) => compareText(a.ended_at ?? "", b.ended_at ?? ""));
    return ended.length ? ended[ended.length - 1] : null;
  }

  /** A round's syntheses in the order first posted (one table's, when given). */
  synthesesOf(roundId, tableId = null) {
    return [...this.syntheses.values()].filter(
      (s) => s.round_id === roundId && (tableId === null || s.table_id === tableId),
    );
  }

  agendaRounds() {
    return this.agenda.map((roundId) => this.rounds.get(roundId));
  }

  pollsInOrder() {
    return [...this.polls.values()].sort((a, b) => idOrder(a.poll_id, b.poll_id));
  }

  // --- to and from the server's snapshot ------------------------------------------

  /** Replace everything the server decides with `snapshot` (identity stays). */
  loadSnapshot(snapshot, seq) {
    this.seq = seq;
    this.title = snapshot.title;
    this.moderation = snapshot.moderation;
    this.agenda = snapshot.rounds.map((r) => r.round_id);
    this.rounds = new Map(snapshot.rounds.map((r) => [r.round_id, { ...r }]));
    this.messages = new Map(snapshot.messages.map((m) => [m.message_id, { ...m }]));
    this.questions = new Map(snapshot.questions.map((q) => [q.question_id, { ...q }]));
    this.polls = new Map(snapshot.polls.map((p) => [p.poll_id, copyPoll(p)]));
    this.myUpvotes = new Set(snapshot.my_upvotes ?? []);
    this.myBallots = new Map(Object.entries(snapshot.my_ballots ?? {}).map(([k, v]) => [k, [...v]]));
    this.myRatings = new Map(Object.entries(snapshot.my_ratings ?? {}));
    this.myWords = new Map(Object.entries(snapshot.my_words ?? {}).map(([k, v]) => [k, [...v]]));
    this.participants = new Map((snapshot.participants ?? []).map((x) => [x.participant_id, { ...x }]));
    this.spotlight = { ...(snapshot.spotlight ?? { kind: "round", item_id: null }) };
    this.announcements = new Map((snapshot.announcements ?? []).map((a) => [a.announcement_id, { ...a }]));
    this.joinRatePerMinute = snapshot.join_rate_per_minute ?? null;
    this.messagesBefore = snapshot.messages_before ?? null;
    this.questionsBefore = snapshot.questions_before ?? null;
    this.notes = new Map((snapshot.notes ?? []).map((n) => [n.note_id, { ...n }]));
    this.wordFilter = snapshot.word_filter ? { ...snapshot.word_filter, words: [...snapshot.word_filter.words] } : null;
    this.hands = new Map((snapshot.hands ?? []).map((h) => [h.participant_id, { ...h }]));
    this.floor = snapshot.floor ? { ...snapshot.floor } : null;
    this.tables = new Map((snapshot.tables ?? []).map((t) => [t.table_id, copyTable(t)]));
    this.syntheses = new Map(
      (snapshot.syntheses ?? []).map((s) => [synthesisKey(s.round_id, s.table_id), { ...s }]),
    );
  }

  /** What this view shows, in the server's snapshot form and order. */
  snapshot() {
    const ballots = {};
    for (const pollId of [...this.myBallots.keys()].sort(idOrder)) {
      ballots[pollId] = [...this.myBallots.get(pollId)];
    }
    const ratings = {};
    for (const pollId of [...this.myRatings.keys()].sort(idOrder)) ratings[pollId] = this.myRatings.get(pollId);
    const words = {};
    for (const pollId of [...this.myWords.keys()].sort(idOrder)) words[pollId] = [...this.myWords.get(pollId)];
    return {
      title: this.title,
      moderation: this.moderation,
      rounds: this.agendaRounds().map((r) => ({ ...r })),
      messages: [...this.messages.values()]
        .sort((a, b) => idOrder(a.message_id, b.message_id))
        .map((m) => ({ ...m })),
      questions: [...this.questions.values()]
        .sort((a, b) => idOrder(a.question_id, b.question_id))
        .map((q) => ({ ...q })),
      polls: this.pollsInOrder().map(copyPoll),
      my_upvotes: [...this.myUpvotes].sort(idOrder),
      my_ballots: ballots,
      my_ratings: ratings,
      my_words: words,
      participants: this.isModerator ? [...this.participants.values()].map((x) => ({ ...x })) : null,
      spotlight: { ...this.spotlight },
      announcements: [...this.announcements.values()]
        .sort((a, b) => idOrder(a.announcement_id, b.announcement_id))
        .map((a) => ({ ...a })),
      join_rate_per_minute: this.isModerator ? this.joinRatePerMinute : null,
      messages_before: this.messagesBefore,
      questions_before: this.questionsBefore,
      notes: this.isModerator
        ? [...this.notes.values()].sort((a, b) => idOrder(a.note_id, b.note_id)).map((n) => ({ ...n }))
        : null,
      word_filter:
        this.isModerator && this.wordFilter ? { ...this.wordFilter, words: [...this.wordFilter.words] } : null,
      hands: [...this.hands.values()].map((h) => ({ ...h })),
      floor: this.floor ? { ...this.floor } : null,
      tables: [...this.tables.values()].map(copyTable),
      syntheses: [...this.syntheses.values()].map((s) => ({ ...s })),
    };
  }
}

function copyTable(table) {
  return { ...table, guests: table.guests.map((g) => ({ ...g })) };
}

function synthesisKey(roundId, tableId) {
  return `${roundId} ${tableId}`;
}

function copyPoll(poll) {
  return {
    ...poll,
    options: [...poll.options],
    counts: poll.counts == null ? null : [...poll.counts],
    kind: poll.kind ?? "choice",
    scale_max: poll.scale_max ?? null,
    scale_labels: poll.scale_labels == null ? null : [...poll.scale_labels],
    words: poll.words == null ? null : poll.words.map((w) => ({ ...w })),
    answers: (poll.answers ?? []).map((a) => ({ ...a })),
    by_table: (poll.by_table ?? []).map((r) => ({ ...r, counts: [...r.counts] })),
    repeat_of: poll.repeat_of ?? null,
    shift: copyShift(poll.shift),
  };
}

// An opinion shift: aggregates only, computed by the server when the repeat closed.
function copyShift(shift) {
  if (shift == null) return null;
  return {
    ...shift,
    options: shift.options.map((o) => ({ ...o })),
    changed: shift.changed ?? null,
    transitions: (shift.transitions ?? []).map((t) => ({ ...t, before: [...t.before], after: [...t.after] })),
    other_changes: shift.other_changes ?? 0,
  };
}

/** How many counts a poll has: one per option, or per point of its scale. */
export function buckets(poll) {
  if (poll.kind === "rating") return poll.scale_max ?? 0;
  return (poll.kind ?? "choice") === "choice" ? poll.options.length : 0;
}

export function fromSnapshot(snapshot, seq, me, isModerator) {
  const view = new View(me, isModerator);
  view.loadSnapshot(snapshot, seq);
  return view;
}

// --- the fold ------------------------------------------------------------------

const REDUCERS = new Map();

function reduces(type, reducer) {
  REDUCERS.set(type, reducer);
}

export function knownEventTypes() {
  return [...REDUCERS.keys()];
}

/**
 * Fold one event into `view`; return the areas that changed (a Set).
 * An event at or below the view's seq was applied already and changes nothing.
 * An event type this page does not know moves the seq and changes nothing.
 */
export function applyEvent(view, event) {
  if (event.seq <= view.seq) return new Set();
  view.seq = event.seq;
  const reducer = REDUCERS.get(event.type);
  return reducer ? new Set(reducer(view, event)) : new Set();
}

/** The coalesced live counts of an open poll; without counts (hidden results), the voters only. */
export function applyPollCounts(view, frame) {
  const poll = view.polls.get(frame.poll_id);
  if (!poll || poll.status !== "open") return new Set();
  if (frame.counts == null) {
    view.polls.set(poll.poll_id, { ...poll, voters: frame.voters });
    return new Set([POLLS]);
  }
  if (frame.counts.length !== buckets(poll)) return new Set();
  const changes = { counts: [...frame.counts], voters: frame.voters };
  if (poll.kind === "words") changes.words = (frame.words ?? []).map((w) => ({ ...w }));
  view.polls.set(poll.poll_id, { ...poll, ...changes });
  return new Set([POLLS]);
}

/**
 * A page of earlier messages or questions (the answer to fetch_history). Only
 * the page that continues the list where it now starts is taken: a late answer
 * to an earlier request would leave a gap, and is dropped.
 */
export function applyHistory(view, frame) {
  if (frame.kind === "messages") {
    if (view.messagesBefore === null || frame.before !== view.messagesBefore) return new Set();
    for (const m of frame.messages ?? []) view.messages.set(m.message_id, { ...m });
    view.messagesBefore = frame.next_before ?? null;
    return new Set([CHAT]);
  }
  if (view.questionsBefore === null || frame.before !== view.questionsBefore) return new Set();
  for (const q of frame.questions ?? []) view.questions.set(q.question_id, { ...q });
  for (const id of frame.my_upvotes ?? []) view.myUpvotes.add(id);
  view.questionsBefore = frame.next_before ?? null;
  return new Set([QUESTIONS]);
}

/** Any frame the view may take: an event, poll_counts or history. */
export function applyFrame(view, frame) {
  if (frame.type === "poll_counts") return applyPollCounts(view, frame);
  if (frame.type === "history") return applyHistory(view, frame);
  return applyEvent(view, frame);
}

function update(items, key, changes) {
  const item = items.get(key);
  if (item !== undefined) items.set(key, { ...item, ...changes });
}

reduces("debate_created", (view, e) => {
  view.title = e.title;
  return [TITLE];
});

reduces("participant_joined", (view, e) => {
  view.participants.set(e.participant_id, { participant_id: e.participant_id, name: e.name, role: e.role });
  return [PEOPLE];
});

reduces("round_added", (view, e) => {
  view.rounds.set(e.round_id, {
    round_id: e.round_id,
    title: e.title,
    theme: e.theme,
    minutes: e.minutes,
    status: "pending",
    started_at: null,
    ended_at: null,
    resumed_at: null,
    spent_seconds: 0,
  });
  if (!view.agenda.includes(e.round_id)) {
    view.agenda.splice(Math.min(e.position, view.agenda.length), 0, e.round_id);
  }
  return [ROUNDS];
});

reduces("round_updated", (view, e) => {
  update(view.rounds, e.round_id, { title: e.title, theme: e.theme, minutes: e.minutes });
  return [ROUNDS, TITLE];
});

reduces("round_moved", (view, e) => {
  const index = view.agenda.indexOf(e.round_id);
  if (index >= 0) {
    view.agenda.splice(index, 1);
    view.agenda.splice(Math.min(e.position, view.agenda.length), 0, e.round_id);
  }
  return [ROUNDS];
});

reduces("round_removed", (view, e) => {
  const index = view.agenda.indexOf(e.round_id);
  if (index >= 0) view.agenda.splice(index, 1);
  view.rounds.delete(e.round_id);
  return [ROUNDS];
});

reduces("round_started", (view, e) => {
  update(view.rounds, e.round_id, { status: "live", started_at: e.at });
  return [ROUNDS, TITLE, CHAT];
});

reduces("round_ended", (view, e) => {
  update(view.rounds, e.round_id, { status: "ended", ended_at: e.at });
  return [ROUNDS, TITLE, CHAT];
});

reduces("round_reopened", (view, e) => {
  // Live again; its countdown continues: minutes*60 - spent_seconds - (now - resumed_at).
  update(view.rounds, e.round_id, {
    status: "live",
    ended_at: null,
    resumed_at: e.at,
    spent_seconds: e.spent_seconds,
  });
  return [ROUNDS, TITLE, CHAT];
});

reduces("message_posted", (view, e) => {
  view.messages.set(e.message_id, {
    message_id: e.message_id,
    round_id: e.round_id ?? null,
    author_id: e.author_id,
    author_name: e.author_name,
    author_role: e.author_role ?? "participant",
    text: e.text,
    at: e.at,
    hidden: false,
    held: e.held ?? false, // the word filter held it: the moderators and its author only
  });
  return [CHAT];
});

reduces("message_hidden", (view, e) => {
  // Moderators (who may bring it back) and its author keep it, marked hidden.
  const message = view.messages.get(e.message_id);
  if (message && (view.isModerator || message.author_id === view.me)) {
    view.messages.set(e.message_id, { ...message, hidden: true });
  } else {
    view.messages.delete(e.message_id);
  }
  return [CHAT];
});

// Shown to everyone (again): those who had dropped it, or never had it (a
// message the word filter held, message_released), get it whole, in its place.
function shownToEveryone(view, e) {
  const dropped = !view.messages.has(e.message_id);
  view.messages.set(e.message_id, {
    message_id: e.message_id,
    round_id: e.round_id ?? null,
    author_id: e.author_id,
    author_name: e.author_name,
    author_role: e.author_role ?? "participant",
    text: e.text,
    at: e.posted_at,
    hidden: false,
    held: false,
  });
  if (dropped) {
    // Back in its place among the others, not at the end.
    view.messages = new Map([...view.messages.entries()].sort(([a], [b]) => idOrder(a, b)));
  }
  return [CHAT];
}

reduces("message_unhidden", shownToEveryone);

function newQuestion(e, status, at) {
  return {
    question_id: e.question_id,
    round_id: e.round_id ?? null,
    text: e.text,
    anonymous: e.anonymous,
    author_id: e.author_id ?? null,
    author_name: e.author_name ?? null,
    author_role: e.anonymous ? null : (e.author_role ?? "participant"),
    status,
    answered: false,
    pinned: false,
    votes: 0,
    at,
    filtered: e.type === "question_submitted" ? (e.filtered ?? false) : false,
    merged_into: null,
    answer: null,
    answer_at: null,
  };
}

reduces("question_submitted", (view, e) => {
  view.questions.set(e.question_id, newQuestion(e, e.approved ? "approved" : "pending", e.at));
  return [QUESTIONS];
});

reduces("question_approved", (view, e) => {
  if (view.questions.has(e.question_id)) {
    update(view.questions, e.question_id, { status: "approved", filtered: false });
  } else {
    // never seen while it was pending
    view.questions.set(e.question_id, newQuestion(e, "approved", e.submitted_at));
  }
  return [QUESTIONS];
});

function forgetQuestion(view, questionId) {
  view.questions.delete(questionId);
  view.myUpvotes.delete(questionId);
}

reduces("question_rejected", (view, e) => {
  if (view.isModerator) {
    // Kept, to be restored; off the floor.
    update(view.questions, e.question_id, { status: "rejected", pinned: false, filtered: false });
  } else {
    forgetQuestion(view, e.question_id);
  }
  return [QUESTIONS];
});

reduces("question_restored", (view, e) => {
  // It starts over: pending, no votes, not answered.
  view.questions.set(e.question_id, newQuestion(e, "pending", e.submitted_at));
  view.myUpvotes.delete(e.question_id);
  return [QUESTIONS];
});

reduces("question_answered", (view, e) => {
  update(view.questions, e.question_id, { answered: true });
  return [QUESTIONS];
});

reduces("question_pinned", (view, e) => {
  const previous = view.pinned;
  if (previous !== null && previous !== e.question_id) update(view.questions, previous, { pinned: false });
  update(view.questions, e.question_id, { pinned: true });
  return [QUESTIONS];
});

reduces("question_unpinned", (view, e) => {
  update(view.questions, e.question_id, { pinned: false });
  return [QUESTIONS];
});

function upvotesChanged(view, e, mine) {
  // A merged question's votes count for the question it was merged into.
  const question = view.questions.get(e.question_id);
  update(view.questions, question?.merged_into ?? e.question_id, { votes: e.votes });
  // A question outside a bounded view comes later, with our upvote, in its page.
  if (e.participant_id != null && e.participant_id === view.me && view.questions.has(e.question_id)) {
    if (mine) view.myUpvotes.add(e.question_id);
    else view.myUpvotes.delete(e.question_id);
  }
  return [QUESTIONS];
}

reduces("upvote_added", (view, e) => upvotesChanged(view, e, true));
reduces("upvote_withdrawn", (view, e) => upvotesChanged(view, e, false));

reduces("moderation_set", (view, e) => {
  view.moderation = e.enabled;
  return [QUESTIONS];
});

// Moderators follow hidden results live; others see them once the poll closes.
// The number of voters is public, hidden results or not.
function wholePoll(view, e, status, roundId) {
  const shown = view.isModerator || !e.hide_results;
  const kind = e.kind ?? "choice";
  const poll = {
    poll_id: e.poll_id,
    question: e.question,
    options: [...e.options],
    multiple: e.multiple,
    hide_results: e.hide_results,
    status,
    round_id: roundId,
    counts: null,
    voters: 0,
    kind,
    scale_max: e.scale_max ?? null,
    scale_labels: e.scale_labels == null ? null : [...e.scale_labels],
    words: shown && kind === "words" ? [] : null,
    answers: [],
    by_table: [],
    repeat_of: e.repeat_of ?? null,
    shift: null,
  };
  if (shown) poll.counts = new Array(buckets(poll)).fill(0);
  return poll;
}

reduces("poll_created", (view, e) => {
  view.polls.set(e.poll_id, wholePoll(view, e, "draft", null));
  return [POLLS];
});

reduces("poll_opened", (view, e) => {
  // Carries the whole poll: participants never saw the draft. A draft has no ballots.
  view.polls.set(e.poll_id, wholePoll(view, e, "open", e.round_id ?? null));
  return [POLLS];
});

reduces("poll_closed", (view, e) => {
  const changes = { status: "closed", counts: [...e.counts], voters: e.voters };
  if (e.words != null) changes.words = e.words.map((w) => ({ ...w }));
  // Moderators have every answer already.
  if (e.answers != null && !view.isModerator) changes.answers = e.answers.map((a) => ({ ...a }));
  changes.by_table = (e.by_table ?? []).map((r) => ({ ...r, counts: [...r.counts] })); // issue 13
  if (e.shift != null) changes.shift = copyShift(e.shift);
  update(view.polls, e.poll_id, changes);
  return [POLLS];
});

reduces("ballot_cast", (view, e) => {
  // Sent to the voter only; the counts follow in a poll_counts frame.
  if (e.participant_id != null && e.participant_id === view.me) {
    if (e.rating != null) view.myRatings.set(e.poll_id, e.rating);
    else if (e.words != null) view.myWords.set(e.poll_id, [...e.words]);
    else view.myBallots.set(e.poll_id, [...(e.choices ?? [])]);
  }
  return [POLLS];
});

reduces("ballot_withdrawn", (view, e) => {
  if (e.participant_id != null && e.participant_id === view.me) view.myBallots.delete(e.poll_id);
  if (e.counts != null) update(view.polls, e.poll_id, { counts: [...e.counts] });
  if (e.voters != null) update(view.polls, e.poll_id, { voters: e.voters });
  return [POLLS];
});

reduces("contributions_erased", (view, e) => {
  for (const messageId of e.message_ids) view.messages.delete(messageId);
  for (const questionId of e.question_ids) forgetQuestion(view, questionId);
  if (e.participant_id != null && e.participant_id === view.me) {
    // Ours (the others never learn who erased): our votes still count,
    // unlinked from us, so they are no longer ours to show.
    view.myUpvotes.clear();
    view.myBallots.clear();
    view.myRatings.clear();
    view.myWords.clear();
  }
  return [CHAT, QUESTIONS, POLLS];
});

reduces("question_withdrawn", (view, e) => {
  forgetQuestion(view, e.question_id);
  return [QUESTIONS];
});

reduces("spotlight_set", (view, e) => {
  view.spotlight = { kind: e.kind, item_id: e.item_id ?? null };
  return [SPOTLIGHT];
});

reduces("announcement_posted", (view, e) => {
  view.announcements.set(e.announcement_id, {
    announcement_id: e.announcement_id,
    round_id: e.round_id ?? null,
    text: e.text,
    at: e.at,
  });
  return [SPOTLIGHT];
});

// --- the word filter and the moderators' back-channel (issue 12) ---

reduces("message_released", shownToEveryone);

reduces("word_filter_set", (view, e) => {
  view.wordFilter = { words: [...e.words], builtin: e.builtin, action: e.action };
  return [NOTES];
});

reduces("note_posted", (view, e) => {
  view.notes.set(e.note_id, {
    note_id: e.note_id,
    author_id: e.author_id,
    author_name: e.author_name,
    text: e.text,
    at: e.at,
  });
  return [NOTES];
});

reduces("join_rate_set", (view, e) => {
  view.joinRatePerMinute = e.per_minute;
  return [PEOPLE];
});

// Log only (an invited guest's new device): never sent, nothing to show.
reduces("participant_device_added", () => []);
// --- merged questions and written answers (issue 12) ---

reduces("questions_merged", (view, e) => {
  for (const questionId of e.merged_ids) {
    update(view.questions, questionId, { merged_into: e.keep_id, votes: 0, pinned: false });
  }
  update(view.questions, e.keep_id, { votes: e.votes });
  return [QUESTIONS];
});

reduces("question_unmerged", (view, e) => {
  update(view.questions, e.question_id, { merged_into: null, votes: e.votes });
  update(view.questions, e.keep_id, { votes: e.keep_votes });
  return [QUESTIONS];
});

// A notice to the author (the page tells them); questions_merged changed the view.
reduces("merge_notified", () => []);

reduces("answer_written", (view, e) => {
  update(view.questions, e.question_id, { answer: e.text, answer_at: e.at });
  return [QUESTIONS];
});

// --- open answers: linked to no one; the moderators review each ----------------

function setAnswers(view, pollId, answers) {
  update(view.polls, pollId, { answers: [...answers].sort((a, b) => idOrder(a.answer_id, b.answer_id)) });
}

reduces("answer_submitted", (view, e) => {
  // Moderators only: waiting for their review.
  const poll = view.polls.get(e.poll_id);
  if (poll) {
    const answer = { answer_id: e.answer_id, text: e.text, status: "pending", at: e.at };
    setAnswers(view, e.poll_id, [...poll.answers.filter((a) => a.answer_id !== e.answer_id), answer]);
  }
  return [POLLS];
});

reduces("answer_approved", (view, e) => {
  const poll = view.polls.get(e.poll_id);
  if (poll) {
    const answer = { answer_id: e.answer_id, text: e.text, status: "approved", at: e.submitted_at };
    setAnswers(view, e.poll_id, [...poll.answers.filter((a) => a.answer_id !== e.answer_id), answer]);
  }
  return [POLLS];
});

reduces("answer_rejected", (view, e) => {
  const poll = view.polls.get(e.poll_id);
  if (poll) {
    const answers = view.isModerator // kept, to be approved after all
      ? poll.answers.map((a) => (a.answer_id === e.answer_id ? { ...a, status: "rejected" } : a))
      : poll.answers.filter((a) => a.answer_id !== e.answer_id);
    setAnswers(view, e.poll_id, answers);
  }
  return [POLLS];
});

// --- the speaker queue ---------------------------------------------------------

reduces("hand_raised", (view, e) => {
  view.hands.delete(e.participant_id); // a raised hand goes to the end
  view.hands.set(e.participant_id, {
    participant_id: e.participant_id,
    name: e.name,
    raised_at: e.at,
    topic: null,
  });
  return [FLOOR];
});

reduces("hand_topic_stated", (view, e) => {
  // Sent to the moderators and the hand's owner only; empty once erased.
  update(view.hands, e.participant_id, { topic: e.topic || null });
  return [FLOOR];
});

reduces("hand_lowered", (view, e) => {
  view.hands.delete(e.participant_id);
  return [FLOOR];
});

reduces("floor_given", (view, e) => {
  view.hands.delete(e.participant_id);
  view.floor = { participant_id: e.participant_id, name: e.name, since: e.at, round_id: e.round_id ?? null };
  return [FLOOR];
});

reduces("floor_ended", (view, e) => {
  if (view.floor && view.floor.participant_id === e.participant_id) view.floor = null;
  return [FLOOR];
});

// --- tables (issue 13) -------------------------------------------------------------

reduces("table_added", (view, e) => {
  view.tables.set(e.table_id, {
    table_id: e.table_id,
    name: e.name,
    seats: e.seats,
    guests: [],
    spokesperson_id: null,
  });
  return [TABLES];
});

reduces("table_updated", (view, e) => {
  update(view.tables, e.table_id, { name: e.name, seats: e.seats });
  for (const [key, synthesis] of view.syntheses) {
    if (synthesis.table_id === e.table_id) view.syntheses.set(key, { ...synthesis, table_name: e.name });
  }
  return [TABLES];
});

reduces("table_removed", (view, e) => {
  const table = view.tables.get(e.table_id);
  view.tables.delete(e.table_id);
  if (view.me !== null && e.unseated.includes(view.me)) view.unseatedFrom = table ? table.name : "";
  return [TABLES];
});

reduces("guest_seated", (view, e) => {
  for (const table of [...view.tables.values()]) {
    if (table.guests.some((g) => g.participant_id === e.participant_id)) {
      view.tables.set(table.table_id, {
        ...table,
        guests: table.guests.filter((g) => g.participant_id !== e.participant_id),
        spokesperson_id: table.spokesperson_id === e.participant_id ? null : table.spokesperson_id,
      });
    }
  }
  const table = view.tables.get(e.table_id);
  if (table) {
    const seat = { participant_id: e.participant_id, name: e.name };
    view.tables.set(e.table_id, { ...table, guests: [...table.guests, seat] });
  }
  if (e.participant_id === view.me) view.unseatedFrom = null;
  return [TABLES];
});

reduces("spokesperson_set", (view, e) => {
  update(view.tables, e.table_id, { spokesperson_id: e.participant_id });
  return [TABLES];
});

reduces("synthesis_posted", (view, e) => {
  const key = synthesisKey(e.round_id, e.table_id);
  const previous = view.syntheses.get(key);
  const table = view.tables.get(e.table_id);
  const name = table ? table.name : previous ? previous.table_name : "";
  // Map.set on an existing key keeps its place: the order first posted, as the server's.
  view.syntheses.set(key, { round_id: e.round_id, table_id: e.table_id, table_name: name, text: e.text, at: e.at });
  return [TABLES];
});
