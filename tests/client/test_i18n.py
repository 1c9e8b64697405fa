"""French and English: the same keys, and no text of the other language on screen."""

from __future__ import annotations

import re
import string

import pytest

from client.i18n import CATALOGUES, Translator, default_language
from client.tokens import TokenStore
from server.app import DebateServer
from shared import protocol as p
from tests.client.conftest import make_app, screen_text, wait_until
from tests.wire import WireClient


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    en, fr = CATALOGUES["en"], CATALOGUES["fr"]
    assert set(en) == set(fr)
    for key in en:
        assert _fields(en[key]) == _fields(fr[key]), key


def test_french_texts_follow_french_typography() -> None:
    """A non-breaking space before : ; ? ! and inside « », so no line starts with '?'."""
    for key, text in CATALOGUES["fr"].items():
        assert not re.search(r"[ \t][:;?!]", text), key
        assert not re.search(r"«[^\u00a0\u202f]|[^\u00a0\u202f]»", text), key
        assert not re.search(r"[^\u00a0\u202f\s][:;?!](\s|$)", text.replace("ctrl+", "")), key


def test_default_language_follows_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert default_language() == "fr"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert default_language() == "en"
    assert Translator("fr").plural("status.people", 0) == "0 participant"
    assert Translator("en").plural("status.people", 0) == "0 participants"


def _phrases(lang: str) -> set[str]:
    """Fragments of the catalogue's texts long enough to be recognised on screen."""
    other = CATALOGUES["fr" if lang == "en" else "en"]
    own_values = set(CATALOGUES[lang].values())
    phrases = set()
    for value in other.values():
        if value in own_values:
            continue
        for fragment in re.split(r"\{[^}]*\}|[\n:;,.()…]", value):
            fragment = fragment.strip()
            if len(fragment) >= 4 and not any(fragment in v for v in own_values):
                phrases.add(fragment)
    return phrases


async def _all_texts(server: DebateServer, tokens: TokenStore, lang: str) -> str:
    texts = []
    walks: tuple[tuple[p.Role, list[str]], ...] = (
        ("participant", ["f2", "f3", "f4", "a"]),
        ("moderator", ["f2", "f3", "f4", "f5", "f6", "f7", "c"]),
        ("screen", []),
    )
    for role, keys in walks:
        app = make_app(server, role, tokens, lang=lang, name="Alice")
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda a=app: a.link.status == "connected")  # type: ignore[misc]
            await pilot.pause(0.3)
            texts.append(screen_text(app))
            for key in keys:
                await pilot.press(key)
                await pilot.pause(0.1)
                texts.append(screen_text(app))
    return "\n".join(texts)


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_screens_show_no_text_of_the_other_language(
    server: DebateServer, tokens: TokenStore, lang: str
) -> None:
    url = f"ws://127.0.0.1:{server.port}/"
    moderator = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )
    await moderator.command("add_round", title="R", theme="T", minutes=20)
    await moderator.command("start_round", round_id=next(iter(server.service.state.rounds)))
    guest = await WireClient.join(url, role="participant", join_code=server.service.join_code, name="G")
    await guest.command("post_message", text="ok")
    await guest.command("submit_question", text="Q?", anonymous=True)
    created = await moderator.command("create_poll", question="P?", options=["A", "B"])
    await moderator.command("open_poll", poll_id=created["created"])
    await moderator.command("create_poll", question="P2?", options=["C", "D"])
    shown = await _all_texts(server, tokens, lang)
    assert "key." not in shown and "tab." not in shown  # a key shown raw
    leaks = sorted(phrase for phrase in _phrases(lang) if phrase in shown)
    assert not leaks, f"{lang} screens show untranslated text: {leaks}"
    # And the screens do speak the language.
    assert ("Questions" if lang == "en" else "Discussion") in shown
    await guest.close()
    await moderator.close()


async def test_command_palette_speaks_the_language(server: DebateServer, tokens: TokenStore) -> None:
    app = make_app(server, "moderator", tokens, lang="fr")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        shown = screen_text(app)
        assert "Chercher une commande" in shown and "Ajouter un temps" in shown
        assert "Search for commands" not in shown and "Change the current theme" not in shown
