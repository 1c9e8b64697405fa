"""Who wrote an anonymous question, provable by its author's key alone.

Moved out of ``erasure`` (which re-exports them) so that ``visibility`` may
address an anonymous author too (issue 12: told of a merge) without a cycle.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def secret_hash(secret: str) -> str:
    """What the log keeps of an anonymous question's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def question_secret(author_key: str, question_id: str) -> str:
    """The secret of an anonymous question: HMAC-SHA256 of its id under the author's key.

    The key comes from the author's resume token, which the log does not hold
    (it keeps ``sha256(token)``, from which the key cannot be derived), so the
    log's ``secret_hash`` links the question to no one; the author's next
    connection, holding the token, can recompute it (docs/protocol.md).
    """
    digest = hmac.new(author_key.encode(), question_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def retry_tag(author_key: str, command_id: str) -> str:
    """What a shared log keeps of an anonymous command, so that its retry on
    another process gets the same answer: HMAC-SHA256 of the command id under
    the author's key (domain-separated from the questions' secrets). Like the
    secret's hash it links to no one: only the author's token recomputes it."""
    digest = hmac.new(author_key.encode(), b"convive retry\0" + command_id.encode(), hashlib.sha256)
    return "anon:" + digest.hexdigest()


def is_own_anonymous(question_secret_hash: str | None, question_id: str, author_key: str | None) -> bool:
    """True when ``author_key`` made this anonymous question's secret."""
    if question_secret_hash is None or author_key is None:
        return False
    expected = secret_hash(question_secret(author_key, question_id))
    return hmac.compare_digest(expected, question_secret_hash)
