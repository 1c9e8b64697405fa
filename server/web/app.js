// The guest page: join with the code and a name, then the live round, its chat,
// the questions and the open poll. Everything the server says goes through the
// view reducer (view.js); nothing that arrives moves the focus or touches what
// the guest is typing. User text is only ever rendered as text (Preact).

import { useEffect, useLayoutEffect, useRef, useState } from "./vendor/hooks.js";
import { Connection, IdentityStore, websocketUrl } from "./connection.js";
import { initialLang, saveLang, translator } from "./i18n.js";
import { ByTable, ServerClock, ShiftBlock, WordCloud, authorLabel, html, percents, render, roundLine, statusText, useTick } from "./ui.js";
import { applyEvent, applyHistory, applyPollCounts, fromSnapshot, idOrder, View } from "./view.js";

const CHAT_MAX = 1000;
const QUESTION_MAX = 500;
const NAME_MAX = 40;
const HAND_TOPIC_MAX = 200;
const SYNTHESIS_MAX = 1000;
// Poll kinds (shared/limits.py).
const WORD_MAX = 40;
const WORDS_PER_BALLOT = 3;
const OPEN_ANSWER_MAX = 280;

// A personal invitation code is 10 characters, the room's join code 6 (same alphabet).
const INVITATION_CODE_LENGTH = 10;

/** Whether a (cleaned) code is a personal invitation: it joins under the invited name. */
export function isInvitationCode(code) {
  return code.replace(/[\s-]/g, "").length === INVITATION_CODE_LENGTH;
}

/** The code from /j/CODE or ?code=CODE, upper-cased. */
export function codeFromLocation(location) {
  const path = location.pathname.match(/^\/[jJ]\/([A-Za-z0-9]{1,32})\/?$/);
  const code = path ? path[1] : new URLSearchParams(location.search).get("code");
  return code ? code.trim().toUpperCase() : "";
}

// --- the page's state, outside the components -------------------------------------

class GuestStore {
  constructor() {
    this.identityStore = new IdentityStore(location.host);
    this.view = new View();
    this.clock = new ServerClock();
    this.status = { state: "connecting", attempt: 0, pending: 0 };
    this.people = null;
    this.connection = null;
    this.refusal = null;
    this.notice = null;
    this.noticeTimer = null;
    // Open polls this page sent an answer to (the server keeps no link to it).
    this.answered = new Set();
    this.listeners = new Set();
    this.version = 0;
  }

  get joined() {
    return this.connection !== null;
  }

  get me() {
    return this.view.me;
  }

  hasSavedIdentity() {
    return Boolean(this.identityStore.load().token);
  }

  savedName() {
    return this.identityStore.load().name ?? "";
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed() {
    this.version += 1;
    for (const listener of this.listeners) listener(this.version);
  }

  connect(joinCode = null, name = null) {
    this.refusal = null;
    this.connection = new Connection({
      url: websocketUrl(location),
      role: "participant",
      store: this.identityStore,
      joinCode,
      name,
      handlers: {
        onWelcome: (welcome) => this.welcomed(welcome),
        onFrame: (frame) => this.frame(frame),
        onAck: (command, ack) => this.acked(command, ack),
        onCommandError: (command, error) => this.commandFailed(command, error),
        onRefused: (error) => this.refused(error),
        onStatus: (status) => {
          this.status = status;
          this.changed();
        },
      },
    });
    this.connection.start();
    this.changed();
  }

  welcomed(welcome) {
    this.clock.sync(welcome.at);
    if (welcome.recovered) {
      for (const event of welcome.events ?? []) applyEvent(this.view, event);
      // Told while away (issue 12): a question of ours merged into another.
      for (const event of welcome.events ?? []) if (event.type === "merge_notified") this.toldMerged(event);
    } else {
      this.view = fromSnapshot(welcome.snapshot, welcome.seq, welcome.participant_id, false);
    }
    this.view.me = welcome.participant_id;
    this.name = welcome.name;
    this.changed();
  }

  frame(frame) {
    if (frame.type === "presence") {
      this.people = frame.count;
    } else if (frame.type === "poll_counts") {
      applyPollCounts(this.view, frame);
    } else if (frame.type === "history") {
      applyHistory(this.view, frame);
    } else if (typeof frame.seq === "number") {
      const fresh = frame.seq > this.view.seq;
      applyEvent(this.view, frame);
      if (fresh) this.toldAboutTheFilter(frame);
      if (frame.type === "merge_notified") this.toldMerged(frame);
      // Issue 13: our table was removed. A notice (and a badge on the tab), never a jump.
      if (frame.type === "table_removed" && frame.unseated.includes(this.view.me)) {
        this.say({ key: "tables.unseated", values: { name: this.view.unseatedFrom ?? "" } });
      }
    } else {
      return;
    }
    this.changed();
  }

  /** A notice (never the focus) when the word filter held our message or question. */
  toldAboutTheFilter(frame) {
    if (frame.type === "message_posted" && frame.held && frame.author_id === this.view.me) {
      this.say("chat.held_mine");
    } else if (frame.type === "question_submitted" && frame.filtered) {
      const question = this.view.questions.get(frame.question_id);
      if (question && this.isMine(question)) this.say("questions.filtered_mine");
    }
  }

  /** Issue 12: the server told us alone that our question was merged into another. */
  toldMerged(notice) {
    const kept = this.view.questions.get(notice.keep_id);
    this.say({ key: "questions.merged_mine", values: { keep: kept ? kept.text : notice.keep_id } });
  }

  send(command) {
    if (!this.connection) return null;
    const id = this.connection.send(command);
    this.changed();
    return id;
  }

  acked(command, ack) {
    if (command.type === "submit_question") {
      const pending = this.view.questions.get(ack.created)?.status === "pending";
      this.say(pending ? "ask.sent_pending" : "ask.sent");
    } else if (command.type === "cast_ballot" && command.text != null) {
      // An open answer: linked to no one, so only this page knows it answered.
      this.answered.add(command.poll_id);
      this.say("poll.answer_sent");
    } else if (command.type === "cast_ballot") {
      this.say("poll.voted");
    } else if (command.type === "erase_my_contributions") {
      this.say("erase.done");
    } else if (command.type === "raise_hand") {
      this.say("hand.raised");
    } else if (command.type === "lower_hand") {
      this.say("hand.lowered");
    } else if (command.type === "post_synthesis") {
      this.say("synthesis.sent");
    }
    this.changed();
  }

  commandFailed(command, error) {
    // Withdrawing an anonymous question that is already gone is no news.
    if (command?.type === "withdraw_question" && error.code === "question_not_found") return;
    this.say({ error });
  }

  refused(error) {
    this.refusal = error;
    this.connection = null;
    this.changed();
  }

  say(notice) {
    this.notice = notice;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => {
      this.notice = null;
      this.changed();
    }, 6000);
    this.changed();
  }

  /** My questions: named ones by my id, anonymous ones by the secrets this browser holds. */
  isMine(question) {
    if (question.author_id && question.author_id === this.view.me) return true;
    return Boolean(this.connection?.secretOf(question.question_id));
  }

  withdraw(question) {
    const secret = this.connection?.secretOf(question.question_id);
    const command = { type: "withdraw_question", question_id: question.question_id };
    if (secret) command.secret = secret;
    this.send(command);
  }

  eraseAll() {
    this.send({ type: "erase_my_contributions" });
    // Anonymous questions are not linked to us on the server: withdraw each with its secret.
    for (const questionId of this.connection?.mySecretQuestions() ?? []) {
      if (this.view.questions.has(questionId)) {
        this.send({ type: "withdraw_question", question_id: questionId, secret: this.connection.secretOf(questionId) });
      }
    }
  }

  pendingOf(type) {
    return (this.connection?.identity.outbox ?? []).filter((c) => c.type === type);
  }

  leave() {
    this.connection?.stop();
    this.connection?.forgetIdentity();
    this.identityStore.forget();
    this.connection = null;
    this.view = new View();
    this.answered.clear(); // the next person on this phone answered nothing yet
    this.changed();
  }
}

const store = new GuestStore();

function useStore() {
  const [, setVersion] = useState(store.version);
  useEffect(() => store.subscribe(setVersion), []);
  return store;
}

// --- components ---------------------------------------------------------------------

function App() {
  const [lang, setLang] = useState(initialLang);
  const t = translator(lang);
  const s = useStore();
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    document.title = s.view.title ? `${s.view.title} · convive` : "convive";
  });
  const switchLang = () => {
    const next = lang === "fr" ? "en" : "fr";
    saveLang(next);
    setLang(next);
  };
  return html`
    <div class="page">
      <header class="topbar">
        <p class=${`status status-${s.status.state}`} role="status" data-testid="status">
          ${s.joined ? statusText(s.status, t) : ""}${s.joined && s.people !== null
            ? html` · <span>${t.plural("status.people", s.people)}</span>`
            : ""}
        </p>
        <button class="lang" type="button" lang=${lang === "fr" ? "en" : "fr"} aria-label=${t("lang.switch_label")}
          onClick=${switchLang}>${t("lang.switch")}</button>
      </header>
      ${s.joined ? html`<${Debate} t=${t} />` : html`<${JoinForm} t=${t} />`}
      <${Notice} t=${t} />
    </div>
  `;
}

function Notice({ t }) {
  const s = useStore();
  const notice = s.notice;
  const text = !notice
    ? ""
    : typeof notice === "string"
      ? t(notice)
      : notice.key
        ? t(notice.key, notice.values)
        : t.error(notice.error);
  return html`<p class=${`notice${text ? " shown" : ""}`} role="status" aria-live="polite" data-testid="notice">${text}</p>`;
}

function JoinForm({ t }) {
  const s = useStore();
  const [code, setCode] = useState(() => codeFromLocation(location));
  const [name, setName] = useState(() => s.savedName());
  const [missing, setMissing] = useState(false);
  const submit = (event) => {
    event.preventDefault();
    const cleanCode = code.replace(/[\s-]/g, "").toUpperCase();
    const cleanName = name.trim();
    // A personal code needs no name: the invitation's is the one shown.
    const invited = isInvitationCode(cleanCode);
    if (!cleanCode || (!cleanName && !invited)) {
      setMissing(true);
      return;
    }
    setMissing(false);
    s.connect(cleanCode, invited ? null : cleanName);
  };
  const invited = isInvitationCode(code);
  const error = s.refusal ? t.error(s.refusal) : missing ? t("join.missing") : "";
  return html`
    <form class="join card" onSubmit=${submit} novalidate>
      <h1>${t("join.title")}</h1>
      <label for="join-code">${t("join.code")}</label>
      <input id="join-code" name="code" value=${code} maxlength="32" autocomplete="off" autocapitalize="characters"
        spellcheck="false" aria-describedby="join-code-help" onInput=${(e) => setCode(e.currentTarget.value)} />
      <p id="join-code-help" class="help">${t("join.code_help")}</p>
      ${invited
        ? html`<p class="help" data-testid="invited-help">${t("join.invited_help")}</p>`
        : html`<label for="join-name">${t("join.name")}</label>
      <input id="join-name" name="name" value=${name} maxlength=${NAME_MAX} autocomplete="nickname"
        aria-describedby="join-name-help" onInput=${(e) => setName(e.currentTarget.value)} />
      <p id="join-name-help" class="help">${t("join.name_help")}</p>`}
      <p class="error" role="alert">${error}</p>
      <button class="primary" type="submit">${t("join.submit")}</button>
    </form>
  `;
}

function Debate({ t }) {
  const s = useStore();
  const [tab, setTab] = useState("chat");
  const [seenPoll, setSeenPoll] = useState(null);
  const openPoll = s.view.openPoll;
  useEffect(() => {
    if (tab === "poll" && openPoll) setSeenPoll(openPoll.poll_id);
  }, [tab, openPoll?.poll_id]);
  const tabs = [
    ["chat", t("tab.chat"), false],
    ["questions", t("tab.questions"), false],
    // A badge, never a jump: the guest opens the poll when they choose.
    ["poll", t("tab.poll"), Boolean(openPoll && openPoll.poll_id !== seenPoll && tab !== "poll" && !hasVoted(s, openPoll))],
    // Issue 13: a badge while our removed table left us without a seat.
    ["tables", t("tab.tables"), Boolean(s.view.unseatedFrom !== null && tab !== "tables")],
  ];
  const onKey = (event) => {
    // Arrow keys move between tabs (the WAI-ARIA tabs pattern); the user's own key, not the server's.
    const index = tabs.findIndex(([id]) => id === tab);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = tabs[(index + step + tabs.length) % tabs.length][0];
    setTab(next);
    event.currentTarget.parentElement.querySelector(`#tab-${next}`)?.focus();
  };
  return html`
    <${RoundHeader} t=${t} />
    <${Floor} t=${t} />
    <div class="tabs" role="tablist" aria-label=${t("tabs.label")}>
      ${tabs.map(
        ([id, label, badge]) => html`
          <button key=${id} id=${`tab-${id}`} role="tab" type="button" aria-selected=${tab === id ? "true" : "false"}
            aria-controls=${`panel-${id}`} tabindex=${tab === id ? "0" : "-1"} onKeyDown=${onKey}
            onClick=${() => setTab(id)}>
            ${label}${badge ? html` <span class="badge">${t("tab.new")}</span>` : ""}
          </button>`,
      )}
    </div>
    <section id=${`panel-${tab}`} class="panel" role="tabpanel" aria-labelledby=${`tab-${tab}`}>
      ${tab === "chat" ? html`<${Chat} t=${t} />` : ""}
      ${tab === "questions" ? html`<${Questions} t=${t} />` : ""}
      ${tab === "poll" ? html`<${Poll} t=${t} />` : ""}
      ${tab === "tables" ? html`<${Tables} t=${t} />` : ""}
    </section>
    <${Footer} t=${t} />
  `;
}

function RoundHeader({ t }) {
  const s = useStore();
  useTick(1000);
  const line = roundLine(s.view, t, s.clock);
  const announcement = s.view.currentAnnouncement;
  return html`
    ${announcement
      ? html`<p class="announcement" role="status" data-testid="announcement">
          <strong>${t("announcement.label")}</strong> <bdi>${announcement.text}</bdi>
        </p>`
      : ""}
    <section class="round" aria-label=${line.heading}>
      <p class="debate-title">${s.view.title}</p>
      <p class="round-line">
        <span class="round-number">${line.heading}</span>
        ${line.left ? html`<span class=${`countdown${line.over ? " over" : ""}`} data-testid="countdown">${line.left}</span>` : ""}
      </p>
      ${line.live
        ? html`<h1 class="round-title">${line.live.title}</h1>
            <p class="theme">${line.live.theme}</p>`
        : ""}
    </section>
  `;
}

/** The speaker queue: who has the floor, my place, and my hand to raise or lower. */
function Floor({ t }) {
  const s = useStore();
  const [raising, setRaising] = useState(false);
  const view = s.view;
  const speaking = view.floor !== null && view.floor.participant_id === s.me;
  const place = view.placeInQueue(s.me);
  const raisedPending = s.pendingOf("raise_hand").length > 0;
  let mine;
  if (speaking) {
    mine = html`<p class="hand-state speaking" data-testid="my-hand"><strong>${t("hand.you_speak")}</strong></p>`;
  } else if (place !== null) {
    mine = html`<p class="hand-state" data-testid="my-hand">
        ${place === 1 ? t("hand.place_first") : t("hand.place_nth", { place })}
        <button type="button" class="quiet" onClick=${() => s.send({ type: "lower_hand" })}>${t("hand.lower")}</button>
      </p>`;
  } else if (raising) {
    mine = html`<${HandForm} t=${t} close=${() => setRaising(false)} />`;
  } else {
    mine = html`<button type="button" class="hand" aria-expanded="false" disabled=${raisedPending}
        onClick=${() => setRaising(true)}>${t("hand.raise")}</button>`;
  }
  const other = view.floor !== null && !speaking ? view.floor : null;
  return html`
    <section class="floor" aria-label=${t("floor.label")}>
      ${other ? html`<p class="floor-now" data-testid="floor-now">🎤 ${t("floor.has", { name: other.name })}</p>` : ""}
      ${mine}
    </section>
  `;
}

function HandForm({ t, close }) {
  const s = useStore();
  const [topic, setTopic] = useState("");
  const input = useRef(null);
  useEffect(() => input.current?.focus(), []); // the guest opened the form: their own action
  const submit = (event) => {
    event.preventDefault();
    const clean = topic.split(/\s+/).filter(Boolean).join(" ");
    s.send(clean ? { type: "raise_hand", topic: clean } : { type: "raise_hand" });
    close();
  };
  return html`
    <form class="hand-form card" onSubmit=${submit} data-testid="hand-form">
      <h2>${t("hand.title")}</h2>
      <p class="notice-name" id="hand-name-shown"><strong>${t("hand.name_shown", { name: s.name ?? "" })}</strong></p>
      <label for="hand-topic" class="visually-hidden">${t("hand.topic")}</label>
      <input id="hand-topic" ref=${input} maxlength=${HAND_TOPIC_MAX} value=${topic} placeholder=${t("hand.topic")}
        aria-describedby="hand-name-shown hand-topic-help" onInput=${(e) => setTopic(e.currentTarget.value)} />
      <p id="hand-topic-help" class="help">${t("hand.topic_help")}</p>
      <div class="row">
        <button class="primary" type="submit">${t("hand.confirm")}</button>
        <button type="button" onClick=${close}>${t("form.cancel")}</button>
      </div>
    </form>
  `;
}

function Chat({ t }) {
  const s = useStore();
  const [text, setText] = useState("");
  const list = useRef(null);
  const follow = useRef(true);
  const live = s.view.liveRound;
  const messages = s.view.chatOf(live ? live.round_id : null);
  const sending = s.pendingOf("post_message");
  // A long evening's welcome holds the newest messages; earlier ones of this
  // round come on demand (none to fetch once the oldest held is a round before).
  const held = [...s.view.messages.values()].sort((a, b) => idOrder(a.message_id, b.message_id));
  const earlier = s.view.messagesBefore !== null && (held.length === 0 || held[0].round_id === (live ? live.round_id : null));
  const loading = s.pendingOf("fetch_history").some((c) => c.kind === "messages");
  const fetchEarlier = () => {
    follow.current = false; // the guest reads back: the list stays where it is
    s.send({ type: "fetch_history", kind: "messages", before: s.view.messagesBefore });
  };
  const onScroll = () => {
    const el = list.current;
    follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 40;
  };
  useLayoutEffect(() => {
    // Follow the newest message only while the guest is at the bottom (scrolling moves no focus).
    if (follow.current && list.current) list.current.scrollTop = list.current.scrollHeight;
  });
  const submit = (event) => {
    event.preventDefault();
    const body = text.trim();
    if (!body) return;
    s.send({ type: "post_message", text: body });
    setText("");
    follow.current = true;
  };
  const onKeyDown = (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
  };
  return html`
    <div class="chat">
      <h2 class="visually-hidden">${live ? t("chat.label") : t("chat.lobby")}</h2>
      ${!live ? html`<p class="hint">${t("chat.lobby")}</p>` : ""}
      <ol class="messages" ref=${list} onScroll=${onScroll} aria-label=${live ? t("chat.label") : t("chat.lobby")}
        data-testid="messages">
        ${earlier
          ? html`<li class="earlier"><button type="button" onClick=${fetchEarlier} disabled=${loading}
              aria-busy=${loading ? "true" : "false"}>${loading ? t("history.loading") : t("chat.earlier")}</button></li>`
          : ""}
        ${messages.length === 0 && sending.length === 0 ? html`<li class="empty">${t("chat.empty")}</li>` : ""}
        ${messages.map(
          (m) => html`
            <li key=${m.message_id} class=${`${m.author_id === s.me ? "mine" : ""} ${m.held ? "held" : ""}`.trim()}>
              <span class="author">${authorLabel(t, m.author_name, m.author_role)}</span>
              <span class="text" dir="auto">${m.text}</span>
              ${m.held ? html`<span class="tag held-tag">${t("chat.awaiting_review")}</span>` : ""}
            </li>`,
        )}
        ${sending.map(
          (c) => html`
            <li key=${c.id} class="mine sending">
              <span class="author" dir="auto">${t("chat.sending")}</span>
              <span class="text" dir="auto">${c.text}</span>
            </li>`,
        )}
      </ol>
      <form class="compose" onSubmit=${submit}>
        <label for="chat-input" class="visually-hidden">${t("chat.input")}</label>
        <textarea id="chat-input" rows="1" maxlength=${CHAT_MAX} value=${text} placeholder=${t("chat.input")}
          enterkeyhint="send" onInput=${(e) => setText(e.currentTarget.value)} onKeyDown=${onKeyDown}></textarea>
        <button class="primary" type="submit">${t("chat.send")}</button>
      </form>
    </div>
  `;
}

function Questions({ t }) {
  const s = useStore();
  const [byVotes, setByVotes] = useState(true);
  const [asking, setAsking] = useState(false);
  const view = s.view;
  const mine = view.pendingQuestions().filter((q) => s.isMine(q));
  const approved = view.approvedQuestions(byVotes);
  // A long evening's welcome holds the recent and the most upvoted questions; the rest on demand.
  const loadingOlder = s.pendingOf("fetch_history").some((c) => c.kind === "questions");
  const fetchOlder = () => s.send({ type: "fetch_history", kind: "questions", before: view.questionsBefore });
  return html`
    <div class="questions">
      ${asking
        ? html`<${AskForm} t=${t} close=${() => setAsking(false)} />`
        : html`<button class="primary wide" type="button" aria-expanded="false" onClick=${() => setAsking(true)}>
            ${t("ask.title")}</button>`}
      <div class="sort" role="group" aria-label=${t("questions.sort_label")}>
        <button type="button" aria-pressed=${byVotes ? "true" : "false"} onClick=${() => setByVotes(true)}>
          ${t("questions.sort_votes")}</button>
        <button type="button" aria-pressed=${byVotes ? "false" : "true"} onClick=${() => setByVotes(false)}>
          ${t("questions.sort_time")}</button>
      </div>
      ${view.moderation ? html`<p class="hint">${t("questions.moderation_on")}</p>` : ""}
      <ol class="question-list" aria-label=${t("questions.list")} data-testid="questions">
        ${mine.length + approved.length === 0 ? html`<li class="empty">${t("questions.empty")}</li>` : ""}
        ${[...mine, ...approved].map((q) => html`<${Question} key=${q.question_id} t=${t} q=${q} />`)}
      </ol>
      ${view.questionsBefore !== null
        ? html`<button type="button" class="wide earlier" onClick=${fetchOlder} disabled=${loadingOlder}
            aria-busy=${loadingOlder ? "true" : "false"}>
            ${loadingOlder ? t("history.loading") : t("questions.earlier")}</button>`
        : ""}
    </div>
  `;
}

function Question({ t, q }) {
  const s = useStore();
  const [confirming, setConfirming] = useState(false);
  const mine = s.isMine(q);
  const upvoted = s.view.upvoted(q.question_id); // through a merged duplicate too
  const variants = s.view.variantsOf(q.question_id);
  const toggle = () =>
    s.send({ type: upvoted ? "withdraw_upvote" : "upvote_question", question_id: q.question_id });
  const short = q.text.length > 60 ? `${q.text.slice(0, 60)}…` : q.text;
  return html`
    <li class=${`question${mine ? " mine" : ""}${q.pinned ? " pinned" : ""}`} data-question=${q.question_id}>
      <p class="text" dir="auto">${q.text}</p>
      <p class="meta">
        <span class="author">${authorLabel(t, q.anonymous ? t("questions.anonymous") : q.author_name, q.author_role)}</span>
        ${mine ? html`<span class="tag mine-tag">${t("questions.mine")}</span>` : ""}
        ${q.status === "pending" ? html`<span class="tag">${t("questions.pending")}</span>` : ""}
        ${q.pinned ? html`<span class="tag pinned-tag">${t("questions.pinned")}</span>` : ""}
        ${q.answered ? html`<span class="tag">${t("questions.answered")}</span>` : ""}
        <span class="votes">${t.plural("questions.votes", q.votes)}</span>
      </p>
      ${q.answer
        ? html`<div class="answer" data-testid="answer"><p class="answer-label">${t("questions.answer")}</p>
            <p class="text" dir="auto">${q.answer}</p></div>`
        : ""}
      ${variants.length
        ? html`<div class="variants"><p class="variants-label">${t.plural("questions.variants", variants.length)}</p>
            <ul>${variants.map((v) => html`<li key=${v.question_id} data-variant=${v.question_id}>
              <span class="text" dir="auto">${v.text}</span> —
              <span class="author">${authorLabel(t, v.anonymous ? t("questions.anonymous") : v.author_name, v.author_role)}</span>
              ${s.isMine(v) ? html` <span class="tag mine-tag">${t("questions.mine")}</span>` : ""}</li>`)}</ul></div>`
        : ""}
      <div class="actions">
        ${q.status === "approved" && !mine
          ? html`<button type="button" class="upvote" aria-pressed=${upvoted ? "true" : "false"}
              aria-label=${t(upvoted ? "questions.unvote_label" : "questions.upvote_label", { text: short })}
              onClick=${toggle}>▲ ${t(upvoted ? "questions.unvote" : "questions.upvote")}</button>`
          : ""}
        ${mine && !confirming
          ? html`<button type="button" aria-label=${t("questions.withdraw_label", { text: short })}
              onClick=${() => setConfirming(true)}>${t("questions.withdraw")}</button>`
          : ""}
      </div>
      ${confirming
        ? html`<div class="confirm" role="group" aria-label=${t("questions.withdraw")}>
            <p>${t("questions.withdraw_confirm")}</p>
            <button type="button" class="danger" onClick=${() => s.withdraw(q)}>${t("questions.withdraw")}</button>
            <button type="button" onClick=${() => setConfirming(false)}>${t("form.cancel")}</button>
          </div>`
        : ""}
    </li>
  `;
}

function AskForm({ t, close }) {
  const s = useStore();
  const [text, setText] = useState("");
  const [anonymous, setAnonymous] = useState(false);
  const input = useRef(null);
  useEffect(() => input.current?.focus(), []); // the guest opened the form: their own action
  const submit = (event) => {
    event.preventDefault();
    const body = text.trim();
    if (!body) return;
    s.send({ type: "submit_question", text: body, anonymous });
    close();
  };
  return html`
    <form class="ask card" onSubmit=${submit}>
      <h2>${t("ask.title")}</h2>
      <label for="ask-text" class="visually-hidden">${t("ask.input")}</label>
      <textarea id="ask-text" ref=${input} rows="3" maxlength=${QUESTION_MAX} value=${text}
        placeholder=${t("ask.input")} onInput=${(e) => setText(e.currentTarget.value)}></textarea>
      <label class="check">
        <input type="checkbox" checked=${anonymous} aria-describedby="ask-help"
          onChange=${(e) => setAnonymous(e.currentTarget.checked)} />
        <span>${t("ask.anonymous")}</span>
      </label>
      <p id="ask-help" class="help">${t(anonymous ? "ask.anonymous_help" : "ask.named_help")}</p>
      <div class="row">
        <button class="primary" type="submit">${t("ask.send")}</button>
        <button type="button" onClick=${close}>${t("form.cancel")}</button>
      </div>
    </form>
  `;
}

/** Whether this guest took part in `poll`: a ballot of theirs, or an open answer sent from here. */
function hasVoted(s, poll) {
  const id = poll.poll_id;
  return s.view.myBallots.has(id) || s.view.myRatings.has(id) || s.view.myWords.has(id) || s.answered.has(id);
}

function Poll({ t }) {
  const s = useStore();
  const view = s.view;
  const poll = view.openPoll ?? view.lastClosedPoll;
  if (!poll) return html`<p class="empty">${t("poll.none")}</p>`;
  if (poll.kind === "words") return html`<${WordsPoll} key=${poll.poll_id} t=${t} poll=${poll} />`;
  if (poll.kind === "open") return html`<${OpenPoll} key=${poll.poll_id} t=${t} poll=${poll} />`;
  return html`<${ChoicePoll} t=${t} poll=${poll} />`;
}

/** The labels a guest chooses from: options, or the points of a rating scale. */
function choiceLabels(poll, t) {
  if (poll.kind !== "rating") return poll.options;
  const points = Array.from({ length: poll.scale_max ?? 0 }, (_, i) => String(i + 1));
  if (poll.scale_labels && points.length) {
    points[0] = `${points[0]} · ${poll.scale_labels[0]}`;
    points[points.length - 1] = `${points[points.length - 1]} · ${poll.scale_labels[1]}`;
  }
  return points;
}

function ratingAverage(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  return total ? counts.reduce((sum, c, i) => sum + (i + 1) * c, 0) / total : null;
}

function ChoicePoll({ t, poll }) {
  const s = useStore();
  const view = s.view;
  const [choice, setChoice] = useState({ pollId: null, picked: [] });
  const [warn, setWarn] = useState(false);
  const rating = poll.kind === "rating";
  const mine = rating ? view.myRatings.get(poll.poll_id) : undefined;
  const ballot = rating ? (mine == null ? null : [mine - 1]) : view.myBallots.get(poll.poll_id) ?? null;
  const open = poll.status === "open";
  const picked = choice.pollId === poll.poll_id ? choice.picked : ballot ?? [];
  const pick = (index, checked) => {
    setWarn(false);
    const next = poll.multiple
      ? checked
        ? [...new Set([...picked, index])].sort((a, b) => a - b)
        : picked.filter((i) => i !== index)
      : [index];
    setChoice({ pollId: poll.poll_id, picked: next });
  };
  const same = ballot !== null && ballot.length === picked.length && ballot.every((c, i) => c === picked[i]);
  const vote = (event) => {
    event.preventDefault();
    if (!picked.length) {
      setWarn(true);
      return;
    }
    const ballotField = rating ? { rating: picked[0] + 1 } : { choices: picked };
    s.send({ type: "cast_ballot", poll_id: poll.poll_id, ...ballotField });
  };
  const shares = poll.counts ? percents(poll.counts) : null;
  const average = rating && poll.counts ? ratingAverage(poll.counts) : null;
  const help = rating
    ? t("poll.rating_help", { max: poll.scale_max })
    : t(poll.multiple ? "poll.multiple_help" : "poll.single_help");
  return html`
    <form class="poll card" onSubmit=${vote}>
      <p class="poll-state">${t(open ? "poll.open" : "poll.closed")}</p>
      <fieldset disabled=${!open}>
        <legend><h2 dir="auto">${poll.question}</h2></legend>
        ${open ? html`<p class="help">${help}</p>` : ""}
        ${choiceLabels(poll, t).map(
          (option, index) => html`
            <label key=${index} class=${`option${picked.includes(index) ? " picked" : ""}`}>
              <input type=${poll.multiple ? "checkbox" : "radio"} name="poll-option" value=${index}
                checked=${picked.includes(index)} onChange=${(e) => pick(index, e.currentTarget.checked)} />
              <span class="option-text" dir="auto">${option}</span>
              ${ballot?.includes(index) ? html`<span class="tag">${t("poll.your_vote")}</span>` : ""}
              ${shares
                ? html`<span class="result">
                    <span class="bar"><span class="fill" style=${{ width: `${shares[index]}%` }}></span></span>
                    <span class="count">${poll.counts[index]} · ${t("poll.percent", { percent: shares[index] })}</span>
                  </span>`
                : ""}
            </label>`,
        )}
      </fieldset>
      ${poll.counts
        ? html`<p class="voters">${t.plural("poll.voters", poll.voters ?? 0)}${rating
            ? html` · <span data-testid="poll-average">${average == null
                ? t("poll.no_average")
                : t("poll.average", { average: formatAverage(average, t), max: poll.scale_max })}</span>`
            : ""}</p>`
        : html`<p class="hint" data-testid="poll-hidden">${t("poll.hidden")}</p>`}
      <${ByTable} poll=${poll} hasTables=${s.view.tables.size > 0} t=${t} />
      <${ShiftBlock} t=${t} poll=${poll} labels=${choiceLabels(poll, t)} />
      ${warn ? html`<p class="error" role="alert">${t("poll.nothing")}</p>` : ""}
      ${open
        ? html`<button class="primary wide" type="submit" disabled=${same}>
            ${t(ballot ? "poll.change" : "poll.vote")}</button>`
        : ""}
    </form>
  `;
}

function formatAverage(value, t) {
  const text = value.toFixed(1);
  return t.lang === "fr" ? text.replace(".", ",") : text;
}

function WordsPoll({ t, poll }) {
  const s = useStore();
  const mine = s.view.myWords.get(poll.poll_id) ?? null;
  const [words, setWords] = useState(() => [...(mine ?? []), "", "", ""].slice(0, WORDS_PER_BALLOT));
  const [warn, setWarn] = useState(false);
  const open = poll.status === "open";
  const send = (event) => {
    event.preventDefault();
    const given = words.map((w) => w.trim()).filter((w) => w);
    if (!given.length) {
      setWarn(true);
      return;
    }
    setWarn(false);
    s.send({ type: "cast_ballot", poll_id: poll.poll_id, words: given });
  };
  return html`
    <form class="poll card" onSubmit=${send}>
      <p class="poll-state">${t(open ? "poll.open" : "poll.closed")}</p>
      <h2 dir="auto">${poll.question}</h2>
      ${open
        ? html`<p class="help">${t("poll.words_help")}</p>
          <div class="words">
            ${words.map(
              (word, index) => html`<input key=${index} type="text" maxlength=${WORD_MAX} value=${word}
                aria-label=${t("poll.word_label", { n: index + 1 })} dir="auto"
                onInput=${(e) => setWords(words.map((w, i) => (i === index ? e.currentTarget.value : w)))} />`,
            )}
          </div>`
        : ""}
      ${mine ? html`<p class="hint" data-testid="my-words">${t("poll.your_words", { words: mine.join(", ") })}</p>` : ""}
      ${poll.words != null
        ? html`<${WordCloud} t=${t} words=${poll.words} />`
        : html`<p class="hint" data-testid="poll-hidden">${t("poll.hidden")}</p>`}
      <p class="voters">${t.plural("poll.voters", poll.voters ?? 0)}</p>
      ${warn ? html`<p class="error" role="alert">${t("poll.no_word_typed")}</p>` : ""}
      ${open ? html`<button class="primary wide" type="submit">${t(mine ? "poll.change" : "poll.send")}</button>` : ""}
    </form>
  `;
}

function OpenPoll({ t, poll }) {
  const s = useStore();
  const [text, setText] = useState("");
  const open = poll.status === "open";
  const shown = poll.answers.filter((a) => a.status === "approved");
  const send = (event) => {
    event.preventDefault();
    const answer = text.trim();
    if (!answer) return;
    s.send({ type: "cast_ballot", poll_id: poll.poll_id, text: answer });
    setText(""); // sent once; another answer may follow
  };
  return html`
    <form class="poll card" onSubmit=${send}>
      <p class="poll-state">${t(open ? "poll.open" : "poll.closed")}</p>
      <h2 dir="auto">${poll.question}</h2>
      ${open
        ? html`<p class="help" id="answer-help">${t("poll.open_help")}</p>
          <textarea id="answer-text" rows="3" maxlength=${OPEN_ANSWER_MAX} value=${text} aria-describedby="answer-help"
            aria-label=${t("poll.answer_label")}
            placeholder=${t("poll.open_placeholder")} onInput=${(e) => setText(e.currentTarget.value)}></textarea>
          ${s.answered.has(poll.poll_id) ? html`<p class="hint">${t("poll.answer_sent")}</p>` : ""}
          <button class="primary wide" type="submit">${t("poll.send")}</button>`
        : ""}
      ${shown.length
        ? html`<ul class="answers" data-testid="answers">
            ${shown.map((a) => html`<li key=${a.answer_id} class="text" dir="auto">${a.text}</li>`)}
          </ul>`
        : html`<p class="empty">${t(open && poll.hide_results ? "poll.hidden" : "poll.no_answer")}</p>`}
      <p class="voters">${t.plural("poll.answers", poll.voters ?? 0)}</p>
    </form>
  `;
}

// --- tables (issue 13) ---------------------------------------------------------------

function Tables({ t }) {
  const s = useStore();
  const view = s.view;
  const mine = view.myTable;
  const tables = [...view.tables.values()];
  const sit = (table) => s.send({ type: "choose_table", table_id: table.table_id });
  const round = view.synthesesRound;
  const syntheses = round ? view.synthesesOf(round.round_id) : [];
  return html`
    <div class="tables">
      ${mine
        ? html`<p class="my-table" data-testid="my-table" dir="auto">${t("tables.mine", { name: mine.name })}</p>`
        : view.unseatedFrom !== null
          ? html`<p class="my-table warning" role="status" data-testid="my-table">${t("tables.unseated", { name: view.unseatedFrom })}</p>`
          : html`<p class="hint" data-testid="my-table">${t("tables.none_mine")}</p>`}
      ${view.mySpokespersonTable ? html`<${SynthesisForm} t=${t} table=${view.mySpokespersonTable} />` : ""}
      <ul class="table-list" data-testid="tables">
        ${tables.length === 0 ? html`<li class="empty">${t("tables.empty")}</li>` : ""}
        ${tables.map(
          (table) => html`
            <li key=${table.table_id} class=${`card table${mine?.table_id === table.table_id ? " mine" : ""}`}
              data-table=${table.table_id}>
              <p class="table-head"><strong dir="auto">${table.name}</strong>
                <span class="seats">${t("tables.seats", { seated: table.guests.length, seats: table.seats })}</span></p>
              <ul class="guests">
                ${table.guests.map(
                  (g) => html`<li key=${g.participant_id}><bdi>${g.name}</bdi>${g.participant_id === view.me
                    ? html` <span class="tag mine-tag">${t("tables.you")}</span>`
                    : ""}${g.participant_id === table.spokesperson_id
                    ? html` <span class="tag">${t("tables.spokesperson")}</span>`
                    : ""}</li>`,
                )}
              </ul>
              ${mine?.table_id === table.table_id
                ? ""
                : table.guests.length >= table.seats
                  ? html`<p class="hint">${t("tables.full")}</p>`
                  : html`<button type="button" class="primary" aria-label=${t("tables.sit_label", { name: table.name })}
                      onClick=${() => sit(table)}>${t(mine ? "tables.move" : "tables.sit")}</button>`}
            </li>`,
        )}
      </ul>
      ${round
        ? html`<section class="syntheses" data-testid="syntheses">
            <h2 dir="auto">${t("syntheses.heading", { round: round.title })}</h2>
            ${syntheses.length === 0 ? html`<p class="empty">${t("syntheses.none")}</p>` : ""}
            ${syntheses.map(
              (x) => html`<article key=${x.table_id} class="card synthesis" data-synthesis=${x.table_id}>
                <h3 dir="auto">${x.table_name}</h3><p class="text" dir="auto">${x.text}</p></article>`,
            )}
          </section>`
        : ""}
    </div>
  `;
}

function SynthesisForm({ t, table }) {
  const s = useStore();
  const live = s.view.liveRound;
  const earlier = live ? s.view.syntheses.get(`${live.round_id} ${table.table_id}`) : null;
  const [text, setText] = useState(earlier ? earlier.text : "");
  if (!live) return html`<p class="hint">${t("synthesis.wait")}</p>`;
  const submit = (event) => {
    event.preventDefault();
    const clean = text.trim();
    if (clean) s.send({ type: "post_synthesis", round_id: live.round_id, text: clean });
  };
  return html`
    <form class="card synthesis-form" onSubmit=${submit}>
      <label for="synthesis-text"><strong dir="auto">${t("synthesis.title", { round: live.title })}</strong></label>
      <p class="help" id="synthesis-help">${t("synthesis.help")}</p>
      <textarea id="synthesis-text" rows="5" maxlength=${SYNTHESIS_MAX} dir="auto" aria-describedby="synthesis-help"
        value=${text} onInput=${(e) => setText(e.currentTarget.value)}></textarea>
      <button class="primary wide" type="submit" disabled=${!text.trim()}>
        ${t(earlier ? "synthesis.replace" : "synthesis.send")}</button>
    </form>
  `;
}

function Footer({ t }) {
  const s = useStore();
  const [confirming, setConfirming] = useState(false);
  return html`
    <footer class="foot">
      <p class="me">${s.name ? t("you", { name: s.name }) : ""}</p>
      ${confirming
        ? html`<div class="confirm card" role="group" aria-label=${t("erase.button")}>
            <p>${t("erase.confirm")}</p>
            <div class="row">
              <button type="button" class="danger" onClick=${() => {
                s.eraseAll();
                setConfirming(false);
              }}>${t("erase.yes")}</button>
              <button type="button" onClick=${() => setConfirming(false)}>${t("erase.no")}</button>
            </div>
          </div>`
        : html`<button type="button" class="quiet" onClick=${() => setConfirming(true)}>${t("erase.button")}</button>`}
      <button type="button" class="quiet" onClick=${() => s.leave()}>${t("leave.button")}</button>
    </footer>
  `;
}

// A personal invitation link (/j/PERSONALCODE) joins at once as the invited guest:
// no form, no name to type. Whatever this browser kept of another identity is
// dropped first (its pending commands must not go out under the guest's name).
// Otherwise a guest who has joined from this browser before comes back as the same person.
const linkCode = codeFromLocation(location);
if (isInvitationCode(linkCode)) {
  if (store.identityStore.load().code !== linkCode) store.identityStore.forget();
  store.connect(linkCode, null);
} else if (store.hasSavedIdentity()) {
  store.connect();
}
const root = document.getElementById("app");
root.textContent = "";
render(html`<${App} />`, root);
performance.mark("convive-rendered"); // the browser tests measure the first render
