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


def is_own_anonymous(question_secret_hash: str | None, question_id: str, author_key: str | None) -> bool:
    """True when ``author_key`` made this anonymous question's secret."""
    if question_secret_hash is None or author_key is None:
        return False
    expected = secret_hash(question_secret(author_key, question_id))
    return hmac.compare_digest(expected, question_secret_hash)
