// The projector page (/screen?code=CODE): read-only, large type for the back of
// the room. The QR code of the join link, the link and the code, and what the
// moderator puts in the spotlight: the round and its timer, the question on
// the floor, the open poll's results, welcome and the end of the evening.

import { useEffect, useState } from "./vendor/hooks.js";
import { Connection, websocketUrl } from "./connection.js";
import { initialLang, translator } from "./i18n.js";
import {
  ByTable,
  ServerClock,
  ShiftBlock,
  WordCloud,
  authorLabel,
  html,
  joinLink,
  percents,
  render,
  roundLine,
  statusText,
  useTick,
} from "./ui.js";
import { applyEvent, applyPollCounts, fromSnapshot, View } from "./view.js";

const code = (new URLSearchParams(location.search).get("code") ?? "").trim().toUpperCase();
const lang = new URLSearchParams(location.search).get("lang") ?? initialLang();
const t = translator(lang);
document.documentElement.lang = t.lang;

const state = { view: new View(), status: { state: "connecting", attempt: 0, pending: 0 }, refusal: null };
const clock = new ServerClock();
const listeners = new Set();
const changed = () => listeners.forEach((listener) => listener({}));

function useState_() {
  const [, set] = useState({});
  useEffect(() => {
    listeners.add(set);
    return () => listeners.delete(set);
  }, []);
  return state;
}

function Screen() {
  const s = useState_();
  useTick(1000);
  useEffect(() => {
    document.title = s.view.title ? `${s.view.title} · convive` : "convive";
  });
  if (!code) return html`<p class="refused">${t("screen.code_missing")}</p>`;
  const view = s.view;
  const line = roundLine(view, t, clock);
  const link = joinLink(code);
  const mode = projectorMode(view);
  const announcement = view.currentAnnouncement;
  return html`
    <div class="projector-grid">
      <header class="proj-head">
        <p class="proj-title" dir="auto">${view.title}</p>
        <p class="proj-round">${line.heading}${line.live ? html` · <span>${line.live.title}</span>` : ""}</p>
        ${line.left ? html`<p class=${`proj-clock${line.over ? " over" : ""}`}>${line.left}</p>` : ""}
      </header>
      <main class="spotlight" aria-live="polite">
        ${announcement && mode !== "blank"
          ? html`<p class="announcement" data-testid="announcement"><strong>${t("announcement.label")}</strong> <bdi>${announcement.text}</bdi></p>`
          : ""}
        ${!["blank", "welcome", "end"].includes(mode) ? html`<${FloorLine} view=${view} />` : ""}
        <${Spotlight} view=${view} line=${line} mode=${mode} />
      </main>
      <aside class="join-box">
        <p class="join-call">${t("screen.join")}</p>
        <img class="qr" src=${`/qr.svg?code=${encodeURIComponent(code)}`} alt=${link} width="320" height="320" />
        <p class="join-link" data-testid="join-link">${link}</p>
        <p class="join-code">${t("screen.code")} <strong>${code}</strong></p>
      </aside>
      <p class=${`proj-status status-${s.status.state}`}>
        ${s.refusal ? t.error(s.refusal) : statusText(s.status, t)}
      </p>
    </div>
  `;
}

/**
 * What the moderator put in the spotlight (set_spotlight), resolved against the
 * view as the terminal projector does: an item that has left the view falls
 * back to the live round; with the default spotlight, an evening whose rounds
 * have all ended shows so.
 */
function projectorMode(view) {
  const { kind, item_id: item } = view.spotlight;
  if (kind === "question") {
    const question = view.questions.get(item ?? "");
    return question && question.status === "approved" ? "question" : "round";
  }
  if (kind === "poll") return view.polls.has(item ?? "") ? "poll" : "round";
  if (kind === "round") {
    const live = view.liveRound;
    if (item && view.rounds.has(item) && (!live || live.round_id !== item)) return "round_preview";
    const rounds = view.agendaRounds();
    return !live && rounds.length && rounds.every((r) => r.status === "ended") ? "end" : "round";
  }
  return kind; // welcome, end, blank, syntheses
}

/** What the room sees of a poll's results, by kind: bars, a word cloud or the approved answers. */
function PollResults({ poll }) {
  if (poll.kind === "words") {
    return poll.words != null ? html`<${WordCloud} t=${t} words=${poll.words} />` : "";
  }
  if (poll.kind === "open") {
    const shown = poll.answers.filter((a) => a.status === "approved");
    return html`<ul class="answers" data-testid="answers">
      ${shown.map((a) => html`<li key=${a.answer_id} class="text" dir="auto">${a.text}</li>`)}
    </ul>`;
  }
  const shares = poll.counts ? percents(poll.counts) : null;
  const labels = poll.kind === "rating" ? ratingLabels(poll) : poll.options;
  return html`<ol class="proj-options">
      ${labels.map(
        (option, index) => html`<li key=${index}>
          <span class="option-text" dir="auto">${option}</span>
          ${shares
            ? html`<span class="bar"><span class="fill" style=${{ width: `${shares[index]}%` }}></span></span>
                <span class="count">${t("poll.percent", { percent: shares[index] })}</span>`
            : ""}
        </li>`,
      )}
    </ol>`;
}

function ratingLabels(poll) {
  const points = Array.from({ length: poll.scale_max ?? 0 }, (_, i) => String(i + 1));
  if (poll.scale_labels && points.length) {
    points[0] = `${points[0]} · ${poll.scale_labels[0]}`;
    points[points.length - 1] = `${points[points.length - 1]} · ${poll.scale_labels[1]}`;
  }
  return points;
}

const NEXT_SHOWN = 3;

/** Who has the floor (and for how long) and who is next in the queue. */
function FloorLine({ view }) {
  const hands = view.queue;
  if (!view.floor && !hands.length) return "";
  let next = "";
  if (hands.length) {
    const names = hands.slice(0, NEXT_SHOWN).map((h) => h.name).join(", ");
    const more = hands.length > NEXT_SHOWN ? ` ${t("floor.more", { count: hands.length - NEXT_SHOWN })}` : "";
    next = html`<span class="next"> · ${t("floor.next")} <bdi>${names}</bdi>${more}</span>`;
  }
  const since = view.floor ? Math.max(0, Math.floor((clock.now() - Date.parse(view.floor.since)) / 1000)) : 0;
  const spoken = `${Math.floor(since / 60)}:${String(since % 60).padStart(2, "0")}`;
  return html`<p class="proj-floor" data-testid="floor">
    ${view.floor ? html`🎤 <strong>${t("floor.has", { name: view.floor.name })}</strong> <span class="spoken">${spoken}</span>` : ""}
    ${next}
  </p>`;
}

function PollSlide({ poll, hasTables }) {
  const key = poll.kind === "open" ? "poll.answers" : "poll.voters";
  let average = "";
  if (poll.kind === "rating" && poll.counts) {
    const total = poll.counts.reduce((a, b) => a + b, 0);
    const mean = total ? poll.counts.reduce((sum, c, i) => sum + (i + 1) * c, 0) / total : null;
    const shown = mean == null ? "" : t.lang === "fr" ? mean.toFixed(1).replace(".", ",") : mean.toFixed(1);
    average = mean == null ? "" : ` · ${t("poll.average", { average: shown, max: poll.scale_max })}`;
  }
  return html`<section class="spot">
    <h2>${t(poll.status === "open" ? "poll.open" : "poll.closed")}</h2>
    <p class="spot-question" dir="auto">${poll.question}</p>
    <${PollResults} poll=${poll} />
    <p>${t.plural(key, poll.voters ?? 0)}${average}${poll.counts ? "" : html` · ${t("poll.hidden")}`}</p>
    <${ByTable} poll=${poll} hasTables=${hasTables} t=${t} />
    <${ShiftBlock} t=${t} poll=${poll} labels=${poll.kind === "rating" ? ratingLabels(poll) : poll.options} />
  </section>`;
}

function Spotlight({ view, line, mode }) {
  const item = view.spotlight.item_id ?? "";
  if (mode === "blank") return "";
  if (mode === "question") {
    const q = view.questions.get(item);
    return html`<section class="spot" data-testid="spot-question">
      <h2>${t("screen.question")}</h2>
      <p class="spot-question" dir="auto">${q.text}</p>
      <p class="spot-author">${authorLabel(t, q.anonymous ? t("questions.anonymous") : q.author_name, q.author_role)} ·
        ${t.plural("questions.votes", q.votes)}</p>
      <${Answer} q=${q} />
    </section>`;
  }
  if (mode === "poll") return html`<${PollSlide} poll=${view.polls.get(item)} hasTables=${view.tables.size > 0} />`;
  if (mode === "round_preview") {
    const round = view.rounds.get(item);
    return html`<section class="spot">
      <h2 dir="auto">${round.title}</h2>
      <p class="spot-theme" dir="auto">${round.theme}</p>
      <p>${t(round.status === "ended" ? "screen.round_ended" : "screen.round_pending")}</p>
    </section>`;
  }
  if (mode === "welcome") {
    return html`<section class="spot">
      <p class="spot-big">${t("screen.welcome")}</p>
      <ol class="proj-questions">${view.agendaRounds().map((r) => html`<li key=${r.round_id}>${r.title}</li>`)}</ol>
    </section>`;
  }
  if (mode === "end") {
    return html`<section class="spot"><p class="spot-big">${t("screen.the_end")}</p></section>`;
  }
  if (mode === "syntheses") return html`<${SynthesesSlide} view=${view} tableId=${view.spotlight.item_id ?? null} />`;
  return html`<${RoundSpot} view=${view} line=${line} />`;
}

/** Issue 13: the tables' syntheses of the round (all, or one table's), large, by table. */
function SynthesesSlide({ view, tableId }) {
  const round = view.synthesesRound;
  const syntheses = round ? view.synthesesOf(round.round_id, tableId) : [];
  return html`<section class="spot" data-testid="spot-syntheses">
    <h2 dir="auto">${round ? t("syntheses.heading", { round: round.title }) : t("screen.syntheses")}</h2>
    ${syntheses.length === 0 ? html`<p class="spot-theme">${t("syntheses.none")}</p>` : ""}
    ${syntheses.map(
      (x) => html`<article key=${x.table_id} class="spot-synthesis" data-synthesis=${x.table_id}>
        <h3 dir="auto">${x.table_name}</h3><p dir="auto">${x.text}</p></article>`,
    )}
  </section>`;
}

/** Issue 12: a question's written answer, under it. */
function Answer({ q }) {
  if (!q.answer) return "";
  return html`<div class="spot-answer" data-testid="spot-answer">
    <p class="answer-label">${t("questions.answer")}</p>
    <p dir="auto">${q.answer}</p>
  </div>`;
}

/** The live round: the question on the floor, else its poll, else the top questions. */
function RoundSpot({ view, line }) {
  const pinned = view.pinned ? view.questions.get(view.pinned) : null;
  if (pinned) {
    return html`<section class="spot">
      <h2>${t("screen.pinned")}</h2>
      <p class="spot-question" dir="auto">${pinned.text}</p>
      <p class="spot-author">
        ${authorLabel(t, pinned.anonymous ? t("questions.anonymous") : pinned.author_name, pinned.author_role)}
      </p>
      <${Answer} q=${pinned} />
    </section>`;
  }
  const poll = view.openPoll ?? view.lastClosedPoll;
  if (poll && (poll.status === "open" || !line.live || isRecent(poll, view))) {
    return html`<${PollSlide} poll=${poll} hasTables=${view.tables.size > 0} />`;
  }
  if (!line.live && view.agenda.length && view.agendaRounds().every((r) => r.status === "ended")) {
    return html`<section class="spot"><p class="spot-big">${t("screen.the_end")}</p></section>`;
  }
  const top = view.approvedQuestions(true).filter((q) => !q.answered).slice(0, 3);
  return html`<section class="spot">
    ${!line.live ? html`<p class="spot-big">${t("screen.welcome")}</p>` : ""}
    ${line.live ? html`<p class="spot-theme" dir="auto">${line.live.theme}</p>` : ""}
    ${top.length
      ? html`<h2>${t("screen.top")}</h2>
          <ol class="proj-questions">
            ${top.map((q) => html`<li key=${q.question_id}>${q.text} <span class="votes">(${t.plural("questions.votes", q.votes)})</span></li>`)}
          </ol>`
      : ""}
  </section>`;
}

/** A poll closed during the live round stays in the spotlight until something else comes. */
function isRecent(poll, view) {
  const live = view.liveRound;
  return live !== null && poll.round_id === live.round_id;
}

if (code) {
  const connection = new Connection({
    url: websocketUrl(location),
    role: "screen",
    joinCode: code,
    handlers: {
      onWelcome: (welcome) => {
        clock.sync(welcome.at);
        if (welcome.recovered) {
          for (const event of welcome.events ?? []) applyEvent(state.view, event);
        } else {
          state.view = fromSnapshot(welcome.snapshot, welcome.seq, null, false);
        }
        changed();
      },
      onFrame: (frame) => {
        if (frame.type === "poll_counts") applyPollCounts(state.view, frame);
        else if (typeof frame.seq === "number") applyEvent(state.view, frame);
        changed();
      },
      onRefused: (error) => {
        state.refusal = error;
        changed();
      },
      onStatus: (status) => {
        state.status = status;
        changed();
      },
    },
  });
  connection.start();
}

const root = document.getElementById("app");
root.textContent = "";
render(html`<${Screen} />`, root);
