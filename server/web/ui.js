// What the guest page and the projector page share: the rendering library,
// the clock, the countdown and the connection status in words.

import { h, render } from "./vendor/preact.js";
import { useEffect, useState } from "./vendor/hooks.js";
import htm from "./vendor/htm.js";

// htm builds Preact elements; Preact sets every string as a text node, never as HTML.
export const html = htm.bind(h);
export { render };

/**
 * An author's name, isolated (it may be right-to-left), with the moderators'
 * badge when the server says the author moderates: the badge comes from the
 * role the server decided, never from the name (a guest may call themselves
 * something that looks like the moderator's name). Anonymous: no role at all.
 */
export function authorLabel(t, name, role) {
  const badge =
    role === "moderator"
      ? html` <span class="mod-badge" data-testid="mod-badge"><span aria-hidden="true">◆ </span>${t("author.moderator")}</span>`
      : "";
  return html`<bdi class="name">${name}</bdi>${badge}`;
}

/** The server's clock, from the welcome's `at` (a phone's clock may be off). */
export class ServerClock {
  constructor() {
    this.offsetMs = 0;
  }

  sync(serverAt) {
    const at = Date.parse(serverAt);
    if (!Number.isNaN(at)) this.offsetMs = at - Date.now();
  }

  now() {
    return Date.now() + this.offsetMs;
  }
}

/** Milliseconds left in a live round (negative once over), or null. */
export function remainingMs(round, clock) {
  if (!round || !round.started_at) return null;
  const start = Date.parse(round.started_at);
  if (Number.isNaN(start)) return null;
  return start + round.minutes * 60000 - clock.now();
}

export function formatLeft(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = seconds % 60;
  const two = (n) => String(n).padStart(2, "0");
  return hours ? `${hours}:${two(minutes)}:${two(secs)}` : `${two(minutes)}:${two(secs)}`;
}

export function minutesOver(ms) {
  return Math.max(1, Math.ceil(-ms / 60000));
}

/** Re-render every second (the countdown) while mounted. */
export function useTick(ms = 1000) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
}

/** The round line: "Round 2/4 · Title" and its countdown in words. */
export function roundLine(view, t, clock) {
  const live = view.liveRound;
  if (!live) {
    if (!view.agenda.length) return { heading: t("header.no_rounds"), left: null, over: false, live };
    const allOver = view.agendaRounds().every((r) => r.status === "ended");
    return { heading: t(allOver ? "header.ended" : "header.lobby"), left: null, over: false, live };
  }
  const number = view.agenda.indexOf(live.round_id) + 1;
  const ms = remainingMs(live, clock);
  let left = null;
  if (ms !== null) {
    left = ms >= 0 ? t("header.left", { time: formatLeft(ms) }) : t("header.over", { minutes: minutesOver(ms) });
  }
  return {
    heading: t("header.round", { number, total: view.agenda.length }),
    left,
    over: ms !== null && ms < 0,
    live,
  };
}

export function statusText(status, t) {
  const words = {
    connecting: t("status.connecting"),
    connected: t("status.connected"),
    reconnecting: t("status.reconnecting", { attempt: status.attempt }),
    offline: t("status.offline"),
    refused: t("status.refused"),
  }[status.state] ?? t("status.connecting");
  return status.pending ? `${words} · ${t.plural("status.pending", status.pending)}` : words;
}

export function publicUrl() {
  const meta = document.querySelector('meta[name="convive-public-url"]');
  const url = meta?.getAttribute("content") ?? "";
  return url && !url.includes("{{") ? url : `${location.origin}/`;
}

export function joinLink(code) {
  return `${publicUrl().replace(/\/+$/, "")}/j/${code.toUpperCase()}`;
}

/** Percentages that add up to 100 as displayed, per option. */
export function percents(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total ? Math.round((100 * c) / total) : 0));
}

/** A word cloud: each word sized by how many guests gave it, its count beside it. */
export function WordCloud({ t, words }) {
  if (!words.length) return html`<p class="empty">${t("poll.no_words")}</p>`;
  const top = Math.max(...words.map((w) => w.count));
  return html`
    <ul class="cloud" data-testid="word-cloud">
      ${words.map(
        (w) => html`<li key=${w.word} style=${{ fontSize: `${(0.9 + (1.6 * w.count) / top).toFixed(2)}em` }}>
          <span dir="auto">${w.word}</span> <span class="count">${w.count}</span></li>`,
      )}
    </ul>
  `;
}

/**
 * Issue 13: a closed poll's results by table, under the k ≥ 3 rule: each table
 * shown, then "other tables", and why some (or all) are merged.
 */
export function ByTable({ poll, hasTables, t }) {
  // Choices and ratings only: a word cloud or open answers have no results by table.
  if (poll.status !== "closed" || !hasTables || (poll.kind ?? "choice") === "words" || poll.kind === "open") return "";
  const groups = poll.by_table ?? [];
  if (groups.length === 0) return html`<p class="hint" data-testid="by-table-none">${t("poll.by_table_none")}</p>`;
  const share = (count, voters) => (voters ? Math.round((100 * count) / voters) : 0);
  // A choice poll's options, or a rating's points.
  const labels = poll.kind === "rating" ? Array.from({ length: poll.scale_max ?? 0 }, (_, i) => String(i + 1)) : poll.options;
  return html`<section class="by-table" data-testid="by-table">
    <h3>${t("poll.by_table")}</h3>
    <ul>
      ${groups.map(
        (g) => html`<li key=${g.table_id ?? "other"} data-table=${g.table_id ?? "other"}>
          <strong dir="auto">${g.table_id === null ? t("poll.other_tables") : g.table_name}</strong>
          <span> — ${t("poll.by_table_voters", { voters: t.plural("poll.voters", g.voters) })} </span>
          ${labels.map(
            (option, index) => html`<span key=${index} class="by-table-option"><bdi>${option}</bdi> ${g.counts[index]}
              (${t("poll.percent", { percent: share(g.counts[index], g.voters) })})${index < labels.length - 1 ? " · " : ""}</span>`,
          )}
        </li>`,
      )}
    </ul>
    ${groups.some((g) => g.table_id === null) ? html`<p class="hint">${t("poll.by_table_merged")}</p>` : ""}
  </section>`;
}

/** One decimal with the language's decimal mark; signed: + or − (U+2212), 0.0 unsigned. */
export function decimal(value, t, signed = false) {
  let text = (signed ? Math.abs(value) : value).toFixed(1);
  if (t.lang === "fr") text = text.replace(".", ",");
  if (signed && Math.round(value * 10) !== 0) text = (value > 0 ? "+" : "\u2212") + text;
  return text;
}

/**
 * A repeated poll's opinion shift, as the server computed it when the poll closed:
 * per option the share before and after and the shift in points, then who changed
 * their answer by change of at least 3 guests. Aggregates only: never anyone's two
 * ballots. `labels`: the options (or points of a rating scale) as the poll shows them.
 */
export function ShiftBlock({ t, poll, labels }) {
  const shift = poll.shift;
  if (shift == null) {
    return poll.repeat_of ? html`<p class="hint" data-testid="shift-pending">${t("shift.pending")}</p>` : "";
  }
  const answer = (indexes) => indexes.map((i) => labels[i] ?? "").join(" + ");
  const percent = (value) => t("poll.percent", { percent: decimal(value, t) });
  return html`
    <section class="shift" data-testid="shift">
      <h3>${t("shift.title")}</h3>
      <table><tbody>
        ${shift.options.map(
          (o, i) => html`<tr key=${i}>
            <td class="label" dir="auto">${labels[i] ?? ""}</td>
            <td class="pct">${percent(o.before)}</td><td class="arrow">→</td><td class="pct">${percent(o.after)}</td>
            <td class="points">${t("shift.points", { points: decimal(o.points, t, true) })}</td></tr>`,
        )}
      </tbody></table>
      <p data-testid="shift-counts">${t.plural("shift.both", shift.both)}${shift.changed == null
        ? ""
        : ` · ${t.plural("shift.changed", shift.changed)}`}</p>
      ${shift.changed == null
        ? html`<p class="why">${t("shift.too_few")}</p>`
        : html`<ul class="transitions">
              ${shift.transitions.map(
                (c, i) => html`<li key=${i}><bdi>${answer(c.before)}</bdi> → <bdi>${answer(c.after)}</bdi>${t(
                  "shift.colon",
                )}${t.plural("shift.guests", c.guests)}</li>`,
              )}
              ${shift.other_changes
                ? html`<li>${t("shift.other", { guests: t.plural("shift.guests", shift.other_changes) })}</li>`
                : ""}
            </ul>
            ${shift.other_changes ? html`<p class="why">${t("shift.other_why")}</p>` : ""}`}
    </section>
  `;
}
