// The page's side of the wire: hello (resuming when it can), commands kept in
// an outbox until answered and resent with the same ids after a reconnect or a
// reload (the server applies a command id once), reconnect with backoff and
// jitter, and at once when the page becomes visible or the network returns.

export const PROTOCOL_VERSION = 1;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 15000;
// The server's close code (shared/protocol.py CLOSE_REPLACED): a newer connection
// of the same guest took this one's place. Reconnecting would take it back and
// the two would replace each other in a loop: stop, and let the guest decide.
const CLOSE_REPLACED = 4009;

export function websocketUrl(location) {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/`;
}

export function newCommandId() {
  // Random, not a counter: ids are remembered per participant across reloads.
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * What this browser keeps for one server: the resume token and its epoch,
 * the name and code (to join again if the server's debate changed), the
 * secrets of its anonymous questions and the commands not yet answered.
 * One entry per server (its host); a new epoch starts the entry afresh.
 */
export class IdentityStore {
  constructor(host, storage = globalThis.localStorage) {
    this.key = `convive.identity:${host}`;
    this.storage = storage;
  }

  load() {
    try {
      const data = JSON.parse(this.storage.getItem(this.key) ?? "null");
      if (data && typeof data === "object") {
        return { secrets: {}, outbox: [], ...data };
      }
    } catch {
      // unreadable or refused: start afresh
    }
    return { token: null, epoch: null, name: null, code: null, secrets: {}, outbox: [] };
  }

  save(data) {
    try {
      this.storage.setItem(this.key, JSON.stringify(data));
    } catch {
      // private mode or full: this page still works, a reload joins anew
    }
  }

  forget() {
    try {
      this.storage.removeItem(this.key);
    } catch {
      // nothing kept anyway
    }
  }
}

export class Connection {
  /**
   * role: "participant" or "screen". handlers: onWelcome(welcome), onFrame(frame),
   * onAck(command, ack), onCommandError(command, error), onRefused(error),
   * onStatus(status) with status = {state, attempt, pending}.
   */
  constructor({ url, role, store = null, joinCode = null, name = null, handlers }) {
    this.url = url;
    this.role = role;
    this.store = store;
    this.handlers = handlers;
    this.identity = store ? store.load() : { token: null, epoch: null, secrets: {}, outbox: [] };
    if (joinCode) this.identity.code = joinCode;
    if (name) this.identity.name = name;
    this.ws = null;
    this.welcomed = false;
    this.lastSeq = null;
    this.attempt = 0;
    this.timer = null;
    this.stopped = false;
    this.state = "connecting";
    this.wakeUp = () => {
      if (document.visibilityState === "visible") this.reconnectNow();
    };
    this.online = () => this.reconnectNow();
  }

  get pending() {
    return this.identity.outbox.length;
  }

  start() {
    document.addEventListener("visibilitychange", this.wakeUp);
    window.addEventListener("online", this.online);
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    document.removeEventListener("visibilitychange", this.wakeUp);
    window.removeEventListener("online", this.online);
    if (this.ws) this.ws.close(1000);
  }

  /** Queue a command: sent now if connected, else after the next welcome, same id. */
  send(command) {
    const frame = { ...command, id: command.id ?? newCommandId() };
    this.identity.outbox.push(frame);
    this.persist();
    if (this.welcomed) this.write(frame);
    this.status(this.state);
    return frame.id;
  }

  secretOf(questionId) {
    return this.identity.secrets[questionId] ?? null;
  }

  mySecretQuestions() {
    return new Set(Object.keys(this.identity.secrets));
  }

  forgetIdentity() {
    this.identity = { token: null, epoch: null, name: this.identity.name, code: null, secrets: {}, outbox: [] };
    if (this.store) this.store.forget();
  }

  // --- the socket ------------------------------------------------------------------

  open() {
    clearTimeout(this.timer);
    this.timer = null;
    this.welcomed = false;
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify(this.hello()));
    ws.onmessage = (message) => {
      if (ws !== this.ws || typeof message.data !== "string") return;
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      if (frame && typeof frame.type === "string") this.dispatch(ws, frame);
    };
    ws.onclose = (event) => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.welcomed = false;
      if (event.code === CLOSE_REPLACED && !this.stopped) {
        this.refuse({ type: "error", code: "replaced", message: event.reason });
        return;
      }
      // A handshake the server refused (too_many_connections, HTTP 503) closes
      // with 1006 like a network failure: a browser is not told the status, so
      // the page backs off and retries, as for a dropped network.
      if (!this.stopped) this.scheduleReconnect();
    };
  }

  reconnectNow() {
    if (this.stopped || this.ws) return;
    this.attempt = Math.max(this.attempt, 1);
    this.open();
  }

  scheduleReconnect() {
    this.attempt += 1;
    // Exponential backoff with jitter, so a room of phones does not reconnect in step.
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (this.attempt - 1));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.status(navigator.onLine === false ? "offline" : "reconnecting");
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), delay);
  }

  hello() {
    const hello = { type: "hello", protocol: PROTOCOL_VERSION, role: this.role };
    const { token, epoch, code, name } = this.identity;
    // A projector has a token too (one for all of them): with it, others' failed
    // attempts on the venue's address never keep it out.
    if (token) hello.resume_token = token;
    // Same debate (epoch) and a view already folded up to lastSeq: ask only for what was missed.
    if (epoch && this.lastSeq !== null) {
      hello.epoch = epoch;
      hello.last_seq = this.lastSeq;
    }
    if (code) hello.join_code = code;
    if (name && this.role !== "screen") hello.name = name;
    return hello;
  }

  write(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  dispatch(ws, frame) {
    if (!this.welcomed) {
      this.beforeWelcome(ws, frame);
      return;
    }
    if (typeof frame.seq === "number" && frame.type !== "ack" && frame.type !== "welcome") {
      this.lastSeq = Math.max(this.lastSeq ?? 0, frame.seq);
    }
    if (frame.type === "ack") {
      const command = this.take(frame.id);
      if (command && frame.secret && frame.created) {
        // Only this browser can ever withdraw this anonymous question: keep its secret.
        this.identity.secrets[frame.created] = frame.secret;
      }
      this.persist();
      if (command) this.handlers.onAck?.(command, frame);
      this.status("connected");
    } else if (frame.type === "error") {
      this.commandError(frame);
    } else if (frame.type === "history") {
      // The answer to a read: off the outbox, then to the page like any frame.
      this.take(frame.id);
      this.persist();
      this.handlers.onFrame?.(frame);
    } else {
      this.handlers.onFrame?.(frame);
    }
  }

  beforeWelcome(ws, frame) {
    if (frame.type === "welcome") {
      this.welcomed = true;
      this.attempt = 0;
      if (frame.epoch !== this.identity.epoch) {
        // Another debate (a new database): what was kept belongs to the old one.
        this.identity.secrets = {};
        if (this.identity.epoch !== null) this.identity.outbox = [];
        this.lastSeq = null;
      }
      this.identity.epoch = frame.epoch;
      if (frame.resume_token) this.identity.token = frame.resume_token;
      if (frame.name) this.identity.name = frame.name;
      this.lastSeq = frame.recovered ? Math.max(this.lastSeq ?? 0, frame.seq) : frame.seq;
      this.persist();
      this.handlers.onWelcome?.(frame);
      this.status("connected");
      // Unanswered commands, in order, with their ids: each is applied once.
      for (const command of this.identity.outbox) this.write(command);
      return;
    }
    if (frame.type !== "error") return;
    if (frame.code === "rate_limited" || frame.code === "too_many_hellos" || frame.code === "too_many_joins" || frame.code === "unavailable") {
      // Too many failed attempts here, or this guest resumed too often: wait, then retry.
      setTimeout(() => ws === this.ws && this.write(this.hello()), frame.retry_after_ms ?? 1000);
      return;
    }
    if (frame.code === "bad_credentials" && this.identity.token && this.identity.code) {
      // Our token is unknown here (the debate was reset): join anew with code and name.
      this.identity.token = null;
      this.identity.epoch = null;
      this.persist();
      this.write(this.hello());
      return;
    }
    if (frame.code === "bad_credentials") {
      this.identity.token = null;
      this.identity.code = null;
      this.persist();
    }
    this.refuse(frame);
    ws.close(1000);
  }

  /** Stop for good: another attempt would not change the answer; the user decides. */
  refuse(error) {
    this.stopped = true;
    clearTimeout(this.timer);
    this.state = "refused";
    this.handlers.onRefused?.(error);
    this.status("refused");
  }

  commandError(error) {
    const command = error.id ? this.identity.outbox.find((c) => c.id === error.id) : undefined;
    if (command && (error.code === "rate_limited" || error.code === "unavailable")) {
      // Not applied: send it again, same id, when the server allows.
      setTimeout(() => {
        if (this.identity.outbox.includes(command)) this.write(command);
      }, error.retry_after_ms ?? 1000);
      this.handlers.onCommandError?.(command, error);
      return;
    }
    if (command) this.take(command.id);
    this.persist();
    this.handlers.onCommandError?.(command ?? null, error);
    this.status("connected");
  }

  take(commandId) {
    const index = this.identity.outbox.findIndex((c) => c.id === commandId);
    if (index < 0) return null;
    const [command] = this.identity.outbox.splice(index, 1);
    return command;
  }

  persist() {
    if (this.store && this.role !== "screen") this.store.save(this.identity);
  }

  status(state) {
    this.state = state;
    this.handlers.onStatus?.({ state, attempt: this.attempt, pending: this.pending });
  }
}
