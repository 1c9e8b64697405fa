// The page's texts, French and English. French typography: a no-break space
// (\u00a0) before : ; ? ! and inside « ». The language comes from the browser,
// and the guest can switch it (remembered on this device).

const NB = "\u00a0";

const TEXTS = {
  en: {
    "lang.name": "English",
    "lang.switch": "Français",
    "lang.switch_label": "Passer en français",
    "status.connecting": "Connecting…",
    "status.connected": "Connected",
    "status.reconnecting": "Connection lost: reconnecting (attempt {attempt})…",
    "status.offline": "No network: waiting for it to come back…",
    "status.refused": "Not connected",
    "status.pending.one": "{count} action waiting to be sent",
    "status.pending.many": "{count} actions waiting to be sent",
    "status.people.one": "{count} participant",
    "status.people.many": "{count} participants",
    "join.title": "Join the debate",
    "join.code": "Join code",
    "join.code_help": "6 characters, shown on the big screen",
    "join.name": "Your name",
    "join.name_help": "Shown with your messages and named questions",
    "join.submit": "Join",
    "join.joining": "Joining…",
    "join.missing": "Give the join code and your name.",
    "you": "You: {name}",
    "header.lobby": "Welcome: no round is live yet",
    "header.no_rounds": "The agenda is empty",
    "header.round": "Round {number}/{total}",
    "header.left": "{time} left",
    "header.over": "over by {minutes} min",
    "header.ended": "Every round is over: thank you!",
    "tab.chat": "Chat",
    "tab.questions": "Questions",
    "tab.poll": "Poll",
    "tab.new": "new",
    "tabs.label": "Sections",
    "chat.label": "Messages of this round",
    "chat.lobby": "Welcome chat",
    "chat.empty": "No message yet.",
    "chat.earlier": "Show earlier messages",
    "history.loading": "Loading…",
    "questions.earlier": "Show older questions",
    "chat.input": "Your message",
    "chat.send": "Send",
    "chat.sending": "sending…",
    "chat.newer": "New messages below",
    "questions.sort_votes": "By votes",
    "questions.sort_time": "By time",
    "questions.sort_label": "Sort the questions",
    "questions.empty": "No question yet.",
    "questions.anonymous": "Anonymous",
    "author.moderator": "moderator",
    "questions.mine": "yours",
    "questions.pending": "awaiting moderation",
    "questions.answered": "answered",
    "questions.pinned": "on the floor",
    "questions.votes.zero": "no vote",
    "questions.votes.one": "{count} vote",
    "questions.votes.many": "{count} votes",
    "questions.upvote": "Upvote",
    "questions.upvote_label": "Upvote: {text}",
    "questions.unvote": "Upvoted",
    "questions.unvote_label": "Withdraw your upvote: {text}",
    "questions.withdraw": "Withdraw",
    "questions.withdraw_label": "Withdraw your question: {text}",
    "questions.withdraw_confirm": "Withdraw this question? It disappears for everyone.",
    "questions.moderation_on": "Questions appear once a moderator approves them.",
    "questions.merged_mine": "The moderators merged your question into a similar one: “{keep}”. It shows under that one, and its votes count there.",
    "questions.variants.one": "{count} similar question merged here",
    "questions.variants.many": "{count} similar questions merged here",
    "questions.answer": "Written answer",
    "error.question_merged": "This question is merged into another: support that one.",
    "questions.list": "Questions of the evening",
    "ask.title": "Ask a question",
    "ask.input": "Your question",
    "ask.anonymous": "Ask anonymously",
    "ask.anonymous_help":
      "Anonymous: your name is shown to no one, moderators included, and is not stored with the " +
      "question. Only this browser knows it is yours (to let you withdraw it).",
    "ask.named_help": "Your name is shown with the question.",
    "ask.send": "Send the question",
    "ask.sent": "Question sent.",
    "ask.sent_pending": "Question sent: it appears once a moderator approves it.",
    "poll.none": "No poll is open.",
    "poll.open": "Poll open",
    "poll.closed": "Poll closed: final results",
    "poll.hidden": "Results are shown when the poll closes.",
    "poll.single_help": "Choose one answer, then press Vote.",
    "poll.multiple_help": "Tick one or more answers, then press Vote.",
    "poll.vote": "Vote",
    "poll.change": "Change my vote",
    "poll.voted": "Your vote is recorded.",
    "poll.your_vote": "your vote",
    "poll.nothing": "Choose an answer first.",
    "poll.voters.zero": "no voter yet",
    "poll.voters.one": "{count} voter",
    "poll.voters.many": "{count} voters",
    "poll.percent": "{percent}%",
    "erase.button": "Erase my contributions…",
    "erase.confirm":
      "Erase all your messages and named questions, and withdraw your upvotes and votes? " +
      "This cannot be undone.",
    "erase.yes": "Yes, erase everything",
    "erase.no": "Cancel",
    "erase.done": "Your contributions are erased.",
    "leave.button": "Leave this debate on this device",
    "form.cancel": "Cancel",
    "screen.join": "Join from your phone",
    "screen.code": "Code",
    "screen.pinned": "On the floor",
    "screen.top": "Top questions",
    "screen.welcome": "Welcome!",
    "screen.the_end": "Thank you for this evening!",
    "screen.question": "A question from the room",
    "screen.round_pending": "Coming up",
    "screen.round_ended": "Done",
    "announcement.label": "Announcement:",
    "screen.code_missing": "Open this page as /screen?code=JOINCODE",
    "error.rate_limited": "Too fast: it will be sent again in a moment.",
    "error.too_many_hellos": "This device has reconnected too often: reconnecting in a moment.",
    "error.too_long": "This text is too long.",
    "error.bad_credentials": "Wrong join code.",
    "error.name_required": "Choose a name to join.",
    "error.unsupported_protocol": "This page and the server are different versions: reload the page.",
    "error.replaced": "Another window or device took your place: this one stopped. Join again to continue here; the other one will stop.",
    "error.poll_closed": "This poll is closed.",
    "error.poll_not_open": "This poll is not open.",
    "error.invalid_choice": "This choice is not valid for this poll.",
    "error.already_upvoted": "You have already upvoted this question.",
    "error.not_upvoted": "You have not upvoted this question.",
    "error.own_question": "You cannot upvote your own question.",
    "error.question_not_approved": "This question has not been approved.",
    "error.not_your_question": "Only the author of this question can withdraw it.",
    "error.nothing_to_erase": "You have nothing to erase.",
    "error.question_not_found": "This question no longer exists.",
    "error.poll_not_found": "This poll no longer exists.",
    "error.forbidden": "You are not allowed to do this.",
    "error.other": "The server refused this ({code}).",
    // the word filter (issue 12)
    "error.filtered": "Not sent: it contains a word this debate filters out. Please reword it.",
    "chat.awaiting_review": "awaiting review: only the moderators see it",
    "chat.held_mine": "Your message holds a filtered word: it awaits the moderators' review.",
    "questions.filtered_mine": "Your question holds a filtered word: it awaits the moderators' review.",
  },
  fr: {
    "lang.name": "Français",
    "lang.switch": "English",
    "lang.switch_label": "Switch to English",
    "status.connecting": "Connexion…",
    "status.connected": "Connecté",
    "status.reconnecting": `Connexion perdue${NB}: reconnexion (essai {attempt})…`,
    "status.offline": `Pas de réseau${NB}: en attente de son retour…`,
    "status.refused": "Non connecté",
    "status.pending.one": "{count} action en attente d'envoi",
    "status.pending.many": "{count} actions en attente d'envoi",
    "status.people.one": "{count} participant",
    "status.people.many": "{count} participants",
    "join.title": "Rejoindre le débat",
    "join.code": "Code d'accès",
    "join.code_help": "6 caractères, affichés sur le grand écran",
    "join.name": "Votre nom",
    "join.name_help": "Affiché avec vos messages et vos questions signées",
    "join.submit": "Rejoindre",
    "join.joining": "Connexion…",
    "join.missing": "Indiquez le code d'accès et votre nom.",
    "you": `Vous${NB}: {name}`,
    "header.lobby": `Bienvenue${NB}: aucun temps n'a encore commencé`,
    "header.no_rounds": "Le programme est vide",
    "header.round": "Temps {number}/{total}",
    "header.left": "reste {time}",
    "header.over": "dépassé de {minutes}${NB}min",
    "header.ended": `Tous les temps sont terminés${NB}: merci${NB}!`,
    "tab.chat": "Discussion",
    "tab.questions": "Questions",
    "tab.poll": "Sondage",
    "tab.new": "nouveau",
    "tabs.label": "Rubriques",
    "chat.label": "Messages de ce temps",
    "chat.lobby": "Discussion d'accueil",
    "chat.empty": "Pas encore de message.",
    "chat.earlier": "Afficher les messages précédents",
    "history.loading": "Chargement…",
    "questions.earlier": "Afficher les questions plus anciennes",
    "chat.input": "Votre message",
    "chat.send": "Envoyer",
    "chat.sending": "envoi…",
    "chat.newer": "Nouveaux messages plus bas",
    "questions.merged_mine": `Les modérateurs ont fusionné votre question avec une question proche${NB}: «${NB}{keep}${NB}». Elle s'affiche sous celle-ci, et ses votes y comptent.`,
    "questions.variants.one": "{count} question proche fusionnée ici",
    "questions.variants.many": "{count} questions proches fusionnées ici",
    "questions.answer": "Réponse écrite",
    "error.question_merged": `Cette question est fusionnée avec une autre${NB}: soutenez celle-ci.`,
    "questions.sort_votes": "Par votes",
    "questions.sort_time": "Par heure",
    "questions.sort_label": "Trier les questions",
    "questions.empty": "Pas encore de question.",
    "questions.anonymous": "Anonyme",
    "author.moderator": "modération",
    "questions.mine": "la vôtre",
    "questions.pending": "en attente de validation",
    "questions.answered": "répondu",
    "questions.pinned": "en discussion",
    "questions.votes.zero": "aucun vote",
    "questions.votes.one": "{count} vote",
    "questions.votes.many": "{count} votes",
    "questions.upvote": "Soutenir",
    "questions.upvote_label": `Soutenir${NB}: {text}`,
    "questions.unvote": "Soutenue",
    "questions.unvote_label": `Retirer votre soutien${NB}: {text}`,
    "questions.withdraw": "Retirer",
    "questions.withdraw_label": `Retirer votre question${NB}: {text}`,
    "questions.withdraw_confirm": `Retirer cette question${NB}? Elle disparaît pour tout le monde.`,
    "questions.moderation_on": "Les questions paraissent une fois validées par un modérateur.",
    "questions.list": "Questions de la soirée",
    "ask.title": "Poser une question",
    "ask.input": "Votre question",
    "ask.anonymous": "Poser anonymement",
    "ask.anonymous_help":
      `Anonyme${NB}: votre nom n'est montré à personne, modérateurs compris, et n'est pas ` +
      "enregistré avec la question. Seul ce navigateur sait qu'elle est de vous (pour vous " +
      "permettre de la retirer).",
    "ask.named_help": "Votre nom est affiché avec la question.",
    "ask.send": "Envoyer la question",
    "ask.sent": "Question envoyée.",
    "ask.sent_pending": `Question envoyée${NB}: elle paraîtra une fois validée par un modérateur.`,
    "poll.none": "Aucun sondage ouvert.",
    "poll.open": "Sondage ouvert",
    "poll.closed": `Sondage clos${NB}: résultats définitifs`,
    "poll.hidden": "Les résultats seront montrés à la clôture du sondage.",
    "poll.single_help": "Choisissez une réponse, puis appuyez sur Voter.",
    "poll.multiple_help": "Cochez une ou plusieurs réponses, puis appuyez sur Voter.",
    "poll.vote": "Voter",
    "poll.change": "Changer mon vote",
    "poll.voted": "Votre vote est enregistré.",
    "poll.your_vote": "votre vote",
    "poll.nothing": "Choisissez d'abord une réponse.",
    "poll.voters.zero": "aucun votant pour l'instant",
    "poll.voters.one": "{count} votant",
    "poll.voters.many": "{count} votants",
    "poll.percent": `{percent}${NB}%`,
    "erase.button": "Effacer mes contributions…",
    "erase.confirm":
      "Effacer tous vos messages et vos questions signées, et retirer vos soutiens et vos " +
      `votes${NB}? C'est définitif.`,
    "erase.yes": "Oui, tout effacer",
    "erase.no": "Annuler",
    "erase.done": "Vos contributions sont effacées.",
    "leave.button": "Quitter ce débat sur cet appareil",
    "form.cancel": "Annuler",
    "screen.join": "Rejoignez depuis votre téléphone",
    "screen.code": "Code",
    "screen.pinned": "En discussion",
    "screen.top": "Questions les plus soutenues",
    "screen.welcome": `Bienvenue${NB}!`,
    "screen.the_end": `Merci pour cette soirée${NB}!`,
    "screen.question": "Question de la salle",
    "screen.round_pending": "À venir",
    "screen.round_ended": "Terminé",
    "announcement.label": `Annonce${NB}:`,
    "screen.code_missing": `Ouvrez cette page ainsi${NB}: /screen?code=CODEACCES`,
    "error.rate_limited": `Trop rapide${NB}: ce sera renvoyé dans un instant.`,
    "error.too_many_hellos": `Cet appareil s'est reconnecté trop souvent${NB}: reconnexion dans un instant.`,
    "error.too_long": "Ce texte est trop long.",
    "error.bad_credentials": "Code d'accès incorrect.",
    "error.name_required": "Choisissez un nom pour rejoindre.",
    "error.unsupported_protocol": `Cette page et le serveur n'ont pas la même version${NB}: rechargez la page.`,
    "error.replaced": `Une autre fenêtre ou un autre appareil a pris votre place${NB}: celle-ci s'est arrêtée. Rejoignez à nouveau pour continuer ici, l'autre s'arrêtera.`,
    "error.poll_closed": "Ce sondage est clos.",
    "error.poll_not_open": "Ce sondage n'est pas ouvert.",
    "error.invalid_choice": "Ce choix n'est pas valable pour ce sondage.",
    "error.already_upvoted": "Vous soutenez déjà cette question.",
    "error.not_upvoted": "Vous ne soutenez pas cette question.",
    "error.own_question": "Vous ne pouvez pas soutenir votre propre question.",
    "error.question_not_approved": "Cette question n'a pas été validée.",
    "error.not_your_question": "Seul l'auteur de cette question peut la retirer.",
    "error.nothing_to_erase": "Vous n'avez rien à effacer.",
    "error.question_not_found": "Cette question n'existe plus.",
    "error.poll_not_found": "Ce sondage n'existe plus.",
    "error.forbidden": "Vous n'avez pas le droit de faire cela.",
    "error.other": "Le serveur a refusé ({code}).",
    // le filtre de mots (issue 12)
    "error.filtered": `Non envoyé${NB}: il contient un mot que ce débat filtre. Reformulez, s'il vous plaît.`,
    "chat.awaiting_review": `en attente de relecture${NB}: seuls les modérateurs le voient`,
    "chat.held_mine": `Votre message contient un mot filtré${NB}: il attend la relecture des modérateurs.`,
    "questions.filtered_mine": `Votre question contient un mot filtré${NB}: elle attend la relecture des modérateurs.`,
  },
};

export const LANGS = Object.keys(TEXTS);
const LANG_KEY = "convive.lang";

export function initialLang() {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved && TEXTS[saved]) return saved;
  } catch {
    // storage refused (private mode): the browser's language then
  }
  for (const tag of navigator.languages ?? [navigator.language ?? "fr"]) {
    const base = String(tag).slice(0, 2).toLowerCase();
    if (TEXTS[base]) return base;
  }
  return "en";
}

export function saveLang(lang) {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // not kept: the page still switches
  }
}

/** A translator for `lang`: t(key, {name: value}); `key.one`/`key.many` by `count`. */
export function translator(lang) {
  const texts = TEXTS[lang] ?? TEXTS.en;
  const t = (key, values = {}) => {
    let text = texts[key] ?? TEXTS.en[key] ?? key;
    for (const [name, value] of Object.entries(values)) text = text.split(`{${name}}`).join(String(value));
    return text;
  };
  t.plural = (key, count) => {
    if (count === 0 && texts[`${key}.zero`]) return t(`${key}.zero`, { count });
    // French counts 0 and 1 as singular, English only 1.
    const one = lang === "fr" ? count < 2 : count === 1;
    return t(`${key}.${one ? "one" : "many"}`, { count });
  };
  t.error = (error) =>
    texts[`error.${error.code}`] ? t(`error.${error.code}`) : t("error.other", { code: error.code });
  t.lang = lang;
  return t;
}

export function allTexts() {
  return TEXTS;
}
