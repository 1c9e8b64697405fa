"""Join codes, moderator keys, resume tokens: generated and compared safely."""

import hashlib
import hmac
import secrets

from shared import joinlink

# No look-alikes: no 0/O, 1/I/L.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(code: str) -> str:
    return code.strip().upper().replace("-", "").replace(" ", "")


def valid_join_code(code: str) -> bool:
    return len(code) == JOIN_CODE_LENGTH and all(c in JOIN_CODE_ALPHABET for c in code)


# Personal invitation codes: same alphabet, longer (31^10, about 49.5 bits), so
# the two kinds tell themselves apart by length and a guess at one of a hundred
# guests' codes stays hopeless under the failed-hello budgets.
INVITATION_CODE_LENGTH = joinlink.INVITATION_CODE_LENGTH


def new_invitation_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(INVITATION_CODE_LENGTH))


def valid_invitation_code(code: str) -> bool:
    return len(code) == INVITATION_CODE_LENGTH and all(c in JOIN_CODE_ALPHABET for c in code)


def new_moderator_key() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


def new_resume_token() -> str:
    return secrets.token_urlsafe(24)


def new_question_secret() -> str:
    """Given to an anonymous question's author: proves it later, links it to no one."""
    return secrets.token_urlsafe(24)


def new_participant_id() -> str:
    return "u" + secrets.token_hex(6)


def new_epoch() -> str:
    return secrets.token_hex(8)


def new_process_id() -> str:
    """Names one running process among those sharing a PostgreSQL log."""
    return secrets.token_hex(8)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def screen_token(moderator_key: str, epoch: str, join_code: str) -> str:
    """The projectors' resume token: derived, so it needs no storage and survives a
    restart; unguessable (an HMAC keyed by the moderator key); void once the join
    code or the moderator key is rotated."""
    message = f"screen:{epoch}:{join_code}".encode()
    return hmac.new(moderator_key.encode(), message, hashlib.sha256).hexdigest()


def author_key(token: str) -> str:
    """The key that makes a participant's anonymous-question secrets, from their token.

    Kept in memory for a connection, never stored. Domain-separated from
    ``token_hash`` (which the log holds): knowing the log is not knowing the key.
    """
    return hashlib.sha256(b"convive anonymous questions\0" + token.encode()).hexdigest()


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison, so timing does not reveal a prefix."""
    return hmac.compare_digest(given.encode(), expected.encode())
